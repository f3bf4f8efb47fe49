// Runs the benchmark's phases in Chromium pages served by the static server.
// Each phase gets a fresh browser context, so phases do not share a heap or a
// module map.
async function withPage(browser, url, body) {
  const context = await browser.newContext();
  const errors = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') console.error(`[chromium] ${message.text()}`);
    });
    await page.goto(url);
    return await body(page);
  } catch (error) {
    if (errors.length) error.message += `\npage errors: ${errors.join('\n')}`;
    throw error;
  } finally {
    await context.close();
  }
}

/** window.bench[phase](config) on the benchmark page; resolves to its result. */
export function runPagePhase(browser, siteUrl, phase, config) {
  return withPage(browser, `${siteUrl}/bench/`, async (page) => {
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30_000 });
    return page.evaluate(([name, options]) => window.bench[name](options), [phase, config]);
  });
}

/** One import-to-ready measurement on a fresh page (startup.html). */
export function measureStartup(browser, siteUrl) {
  return withPage(browser, `${siteUrl}/bench/startup.html`, async (page) => {
    await page.waitForFunction(() => window.startup !== undefined, null, { timeout: 30_000 });
    return page.evaluate(() => window.startup);
  });
}
