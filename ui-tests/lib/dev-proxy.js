// Same-origin stand-in for the gateway's static serving: webroot files from the source tree, every
// other path (/api, /ws, /health, ...) proxied to the backend, WebSocket upgrades included.
// Used only when BAEDAL_UI_FROM_SOURCE is set: to try UI edits against a jar built before them.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};
const BACKEND_PREFIXES = ['/api/', '/ws/', '/health', '/metrics', '/openapi'];

export async function startDevProxy({ webroot, backend }) {
  const target = new URL(backend);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (BACKEND_PREFIXES.some((p) => url.pathname.startsWith(p))) {
      const up = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (r) => {
          res.writeHead(r.statusCode, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => {
        res.writeHead(502, { 'content-type': 'application/problem+json' });
        res.end(
          JSON.stringify({
            type: 'about:blank',
            title: 'Bad Gateway',
            status: 502,
            detail: 'backend unreachable',
          }),
        );
      });
      req.pipe(up);
      return;
    }
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.join(webroot, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    const s = file.startsWith(webroot) ? await stat(file).catch(() => null) : null;
    if (!s?.isFile()) {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(
        JSON.stringify({
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: 'no such file',
          instance: url.pathname,
        }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  });
  const tunnels = new Set();
  server.on('upgrade', (req, socket, head) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    const up = net.connect(Number(target.port), target.hostname, () => {
      const headers = Object.entries({ ...req.headers, host: target.host }).map(
        ([k, v]) => `${k}: ${v}`,
      );
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head?.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of tunnels) s.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
