// The phone benchmark's static server: serves a built directory on
// 127.0.0.1 gzip-compressed (level 9, compressed once at start), as any CDN
// would serve an app's files, so the throttled link carries what a phone
// downloads. Nothing is cached between visits (Cache-Control: no-store).
import { createServer } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Serves `dir` (an index.html for a path ending in /); resolves to { url, close() }. */
export async function serveGzipped(dir) {
  const files = new Map();
  for (const name of readdirSync(dir, { recursive: true })) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const body = readFileSync(path);
    files.set(`/${name.split('\\').join('/')}`, { body, gzip: gzipSync(body, { level: 9 }), type: TYPES[extname(name)] });
  }
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = files.get(path.endsWith('/') ? `${path}index.html` : path);
    if (req.method !== 'GET' || !file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    res.writeHead(200, {
      'Content-Type': file.type ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      Vary: 'Accept-Encoding',
    });
    res.end(gzip ? file.gzip : file.body);
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((ok) => {
        server.close(ok);
        server.closeAllConnections(); // the browser's kept-alive ones
      }),
  };
}
