// Debian's headless Chromium through playwright-core, for the tests and the
// benchmark (never a downloaded browser: `npx playwright install` cannot
// reach its servers here). The flags keep it off the network, which this
// machine closes.
import { chromium } from 'playwright-core';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
}
