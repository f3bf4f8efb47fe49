// A tiny static file server for the demo (`npm start`) and the browser tests.
// It binds 127.0.0.1 only and serves each URL prefix from one directory.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The demo site's layout, used by `npm start` and the demo test: www/ at /,
 * the package files at /cognito-wasm/ laid out as in the tarball, and the QR
 * code generator the demo draws the TOTP setup URI with at /vendor/ (the
 * import map in www/index.html points the names there).
 */
export function demoMounts(root) {
  return {
    '/': join(root, 'www'),
    '/cognito-wasm/': root,
    '/vendor/qrcode-generator/': join(root, 'node_modules/qrcode-generator/dist'),
    '/vendor/aws4fetch/': join(root, 'node_modules/aws4fetch/dist'),
  };
}

/**
 * Serves `mounts` ({ '/url-prefix/': '/abs/dir', ... }, longest prefix wins)
 * on 127.0.0.1:`port` (0 picks a free port). Resolves to { url, close() }.
 */
export async function serveStatic(mounts, port = 0) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const prefix = prefixes.find((p) => path.startsWith(p));
    if (!prefix) return notFound(res);
    const root = resolve(mounts[prefix]);
    let file = normalize(join(root, path.slice(prefix.length)));
    if (file !== root && !file.startsWith(root + sep)) return notFound(res);
    if (path.endsWith('/')) file = join(file, 'index.html');
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      notFound(res);
    }
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(port, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

function notFound(res) {
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found');
}
