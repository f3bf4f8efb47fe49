// Builds the phone benchmark's three pages into bench/.work/phone/site/<client>/:
// index.html and app.js (the page's entry bundled, split and minified with
// esbuild, as an app's production build would; its lazy chunks beside it),
// plus the files the package loads by URL (its wasm) under assets/.
//
// cognito-wasm is installed from a tarball (`npm pack` of a package
// directory, or a .tgz given as is) into an app directory, so the page gets
// exactly the published files, resolved through the package's own
// package.json "exports", whatever its internal layout.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { signedOutPreload } from '../../scripts/preload-snippet.mjs';
import { BROWSER_BUNDLE } from '../lib/esbuild.mjs';

export const CLIENTS = [
  { name: 'ours', label: 'cognito-wasm' },
  { name: 'acjs', label: 'amazon-cognito-identity-js' },
  { name: 'amplify', label: 'Amplify v6' },
];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}): ${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Installs the package at `spec` (a package directory, or a tarball) into
 * `app/node_modules/cognito-wasm`; returns its package.json version and
 * where it came from.
 */
function installPackage(spec, app) {
  const source = resolve(spec);
  let tarball = source;
  if (statSync(source).isDirectory()) {
    const packed = JSON.parse(run('npm', ['pack', source, '--json', '--pack-destination', app], { cwd: app }));
    tarball = join(app, packed[0].filename);
  }
  const target = join(app, 'node_modules/cognito-wasm');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  const { version } = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
  return { source, version, dir: target };
}

const ASSET_URL = /new URL\((['"])([^'"]+)\1,\s*import\.meta\.url\)/g;

/**
 * What Vite and webpack do for `new URL('<file>', import.meta.url)` in a
 * dependency, which esbuild leaves alone: copies the file beside the bundle
 * and points the URL there (import.meta.url is then the bundle's).
 */
function assetUrls(packageDir, outdir) {
  return {
    name: 'asset-urls',
    setup(build) {
      const filter = new RegExp(`^${packageDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/.*\\.m?js$`);
      build.onLoad({ filter }, ({ path }) => {
        const contents = readFileSync(path, 'utf8').replace(ASSET_URL, (whole, _, relative) => {
          const file = resolve(dirname(path), relative);
          if (!existsSync(file)) return whole;
          mkdirSync(join(outdir, 'assets'), { recursive: true });
          copyFileSync(file, join(outdir, 'assets', basename(file)));
          return `new URL('./assets/${basename(file)}', import.meta.url)`;
        });
        return { contents, loader: 'js' };
      });
    },
  };
}

/** Sends `cognito-wasm` to the installed copy, never to this repository's own package.json. */
function installedPackage(app) {
  return {
    name: 'installed-cognito-wasm',
    setup(build) {
      build.onResolve({ filter: /^cognito-wasm(\/|$)/ }, ({ path, kind, pluginData }) =>
        // The inner resolve comes back here; esbuild's own resolver answers it.
        pluginData === 'installed' ? undefined : build.resolve(path, { kind, resolveDir: app, pluginData: 'installed' }),
      );
    },
  };
}

// Long tasks are observed from the first script on, before the bundle runs.
// `head` is what the client's documentation has a page add.
const pageHtml = (label, head) => `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>phone benchmark: ${label}</title>
${head}<script>
  window.phoneLongTasks = [];
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) window.phoneLongTasks.push([task.startTime, task.duration]);
  }).observe({ type: 'longtask', buffered: true });
</script>
<script type="module" src="./app.js"></script>
`;

/**
 * cognito-wasm's page has README's script that preloads the sign-in wasm when
 * no session is stored for `clientId` (none with `preload: false`).
 */
function oursHead(outdir, { clientId, preload }) {
  if (!preload) return '';
  const wasm = readdirSync(join(outdir, 'assets')).find((file) => /^cognito_wasm_bg.*\.wasm$/.test(file));
  if (!wasm) throw new Error(`${outdir}/assets has no sign-in wasm to preload`);
  return `${signedOutPreload({ clientId, wasmUrl: `./assets/${wasm}` })}\n`;
}

/**
 * Builds the three pages into `<work>/site`, for app client `clientId`;
 * resolves to { site, package: the installed package's { source, version } }.
 */
export async function buildPages({ root, work, packageSpec, clientId, preload = true }) {
  const app = join(work, 'app');
  const site = join(work, 'site');
  rmSync(site, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  // The app's own package.json, so `cognito-wasm` never resolves to this repository by self-reference.
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'phone-bench-app', private: true, type: 'module' }));
  const pkg = installPackage(packageSpec, app);
  for (const { name, label } of CLIENTS) {
    const outdir = join(site, name);
    mkdirSync(outdir, { recursive: true });
    await esbuild.build({
      ...BROWSER_BUNDLE,
      entryPoints: [join(root, `bench/phone/pages/${name}.mjs`)],
      minify: true,
      // Dynamic imports become chunks loaded when first needed, as an app
      // bundler (Vite, Rollup) leaves them.
      splitting: true,
      plugins: [installedPackage(app), assetUrls(pkg.dir, outdir)],
      outdir,
      entryNames: 'app',
      logLevel: 'warning',
    });
    writeFileSync(join(outdir, 'index.html'), pageHtml(label, name === 'ours' ? oursHead(outdir, { clientId, preload }) : ''));
  }
  return { site, package: { source: pkg.source, version: pkg.version } };
}
