// README's script that preloads the sign-in wasm when no session is stored
// ("Using it"), as the pages that use it as an app would get it: the loading
// test's page and the phone benchmark's. Read from README.md, so the snippet
// people copy is the one that is tested and measured.
import { readFileSync } from 'node:fs';

/** The script element, for app client `clientId`, preloading the wasm at `wasmUrl`. */
export function signedOutPreload({ clientId, wasmUrl }) {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const snippet = readme.match(/```html\n(<script>\n(?:(?!```)[\s\S])*?\.lastUser'(?:(?!```)[\s\S])*?<\/script>)\n```/)?.[1];
  if (!snippet) throw new Error("README.md has no ```html block with the script that reads '….lastUser'");
  const filled = snippet.replace('YOUR_CLIENT_ID', clientId).replace("'/assets/cognito_wasm_bg.wasm'", `'${wasmUrl}'`);
  if (filled.includes('YOUR_CLIENT_ID') || !filled.includes(wasmUrl)) throw new Error("README.md's preload script no longer names YOUR_CLIENT_ID and '/assets/cognito_wasm_bg.wasm'");
  return filled;
}
