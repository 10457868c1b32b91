// A stand-in for `vouch serve` that follows its HTTP contract, so the browser
// tests run before the real server lands (harness.mjs picks the real one when
// VOUCH_BIN is set). Static web/dist at /, web/demo at /demo/, the feed at
// GET /v1/feed with an ETag, events at POST /v1/events.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json', '.wasm': 'application/wasm',
};
const EVENT_TYPES = new Set(['impression', 'click', 'helpful_vote', 'touch', 'conversion']);
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export function startTestServer({ feedPath, webRoot }) {
  const feed = readFileSync(feedPath);
  const etag = '"' + createHash('sha256').update(feed).digest('hex').slice(0, 16) + '"';
  const events = new Map();          // id -> event, stored once
  const conversions = new Map();     // order_id -> event, duplicates count once

  function serveFile(res, root, path) {
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) return notFound(res);
    try {
      const target = statSync(file).isDirectory() ? join(file, 'index.html') : file;
      const body = readFileSync(target);
      res.writeHead(200, { 'content-type': TYPES[extname(target)] || 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch (_) {
      notFound(res);
    }
  }
  const notFound = (res) => { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); };
  const json = (res, status, value, headers = {}) => {
    res.writeHead(status, Object.assign({ 'content-type': 'application/json' }, headers));
    res.end(JSON.stringify(value));
  };

  function receive(req, res) {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => { size += chunk.length; chunks.push(chunk); });
    req.on('end', () => {
      if (size > 64 * 1024) return json(res, 413, { error: { code: 'events.too_large', message: 'body over 64 KiB' } });
      let body;
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch (_) {
        return json(res, 400, { error: { code: 'events.bad_json', message: 'body is not JSON' } });
      }
      const list = body && Array.isArray(body.events) ? body.events : null;
      if (!list) return json(res, 400, { error: { code: 'events.invalid', message: 'events must be an array' } });
      if (list.length > 100) return json(res, 413, { error: { code: 'events.too_many', message: 'more than 100 events' } });
      const accepted = [];
      const rejected = [];
      for (const event of list) {
        const id = event && event.id;
        if (typeof id !== 'string' || !id || id.length > 64) {
          rejected.push({ id: String(id), code: 'event.bad_id', message: 'id must be a string of 1 to 64 characters' });
        } else if (!EVENT_TYPES.has(event.type) || !RFC3339.test(event.at || '') || typeof event.visitor !== 'string') {
          rejected.push({ id, code: 'event.invalid', message: 'type, at and visitor are required' });
        } else {
          accepted.push(id);
          if (!events.has(id)) {
            events.set(id, event);
            if (event.type === 'conversion' && event.order && !conversions.has(event.order.order_id)) {
              conversions.set(event.order.order_id, event);
            }
          }
        }
      }
      json(res, 200, { accepted, rejected });
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/v1/feed' && req.method === 'GET') {
      if (req.headers['if-none-match'] === etag) { res.writeHead(304, { etag }); return res.end(); }
      res.writeHead(200, { 'content-type': 'application/json', etag, 'cache-control': 'no-cache' });
      return res.end(feed);
    }
    if (url.pathname === '/v1/events') {
      if (req.method !== 'POST') return json(res, 405, { error: { code: 'method', message: 'POST only' } });
      return receive(req, res);
    }
    if (url.pathname === '/demo' ) { res.writeHead(301, { location: '/demo/' }); return res.end(); }
    if (url.pathname.startsWith('/demo/')) return serveFile(res, join(webRoot, 'demo'), decodeURIComponent(url.pathname.slice(6)));
    return serveFile(res, join(webRoot, 'dist'), decodeURIComponent(url.pathname.slice(1)));
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        stored: () => ({ events: [...events.values()], conversions: [...conversions.values()] }),
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
      });
    });
  });
}
