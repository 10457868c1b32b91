// Review photos: POST /v1/reviews/photos checks the content (not the name
// or declared type), refuses bombs, GIFs and truncated files with a code,
// and serves only what libvips re-encoded: WebP, bounded, no metadata.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { workspace, startServer } from './harness.mjs';
import { CAMERA, GIF, PAYLOAD, exifWithGps, png, webpChunks } from '../fixtures/images.mjs';

let ws;
let server;

before(async () => {
  ws = workspace();
  server = await startServer(ws, ['--review-rate-limit', '0']);
});

after(async () => {
  await server?.stop();
  ws?.cleanup();
});

async function upload(bytes, type = 'image/jpeg') {
  const res = await fetch(`${server.base}/v1/reviews/photos`, { method: 'POST', headers: { 'content-type': type }, body: bytes });
  return { status: res.status, body: await res.json() };
}

test('a PNG with EXIF GPS and a PHP payload after its end comes back as WebP with neither', async () => {
  const file = png({ width: 64, height: 48, exif: exifWithGps(), trailer: PAYLOAD });
  assert.ok(file.includes(CAMERA) && file.includes(PAYLOAD));
  const r = await upload(file, 'image/jpeg');   // the declared type is not believed either way
  assert.equal(r.status, 201);
  assert.match(r.body.photo, /^[0-9a-f]{32}$/);
  assert.deepEqual(r.body, { photo: r.body.photo, url: `/v1/photos/${r.body.photo}.webp`,
    thumb: `/v1/photos/${r.body.photo}-thumb.webp`, width: 64, height: 48 });   // never enlarged
  for (const path of [r.body.url, r.body.thumb]) {
    const res = await fetch(server.base + path);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/webp');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const bytes = Buffer.from(await res.arrayBuffer());
    const chunks = webpChunks(bytes);
    assert.ok(chunks, 'a WebP file');
    assert.deepEqual(chunks.filter((c) => /EXIF|XMP|ICCP/.test(c)), []);
    assert.ok(!bytes.includes(CAMERA) && !bytes.includes('<?php') && !bytes.includes('Exif'));
    const again = await fetch(server.base + path, { headers: { 'if-none-match': res.headers.get('etag') } });
    assert.equal(again.status, 304);
  }
  // The same picture again: the same name (content-addressed).
  assert.equal((await upload(file)).body.photo, r.body.photo);
});

test('a large photo is bounded to 1600 px on its longer side', async () => {
  // 2000 x 1000 -> scale 1600/2000 = 0.8 -> 1600 x 800.
  const r = await upload(png({ width: 2000, height: 1000 }), 'image/png');
  assert.equal(r.status, 201);
  assert.equal(r.body.width, 1600);
  assert.equal(r.body.height, 800);
});

test('bombs, GIFs, truncated and oversized files are refused with a code', async () => {
  // 10,000 x 10,000 = 100 megapixels in ~100 KB of PNG: refused from its header.
  const bomb = png({ width: 10000, height: 10000, gray: 0 });
  assert.ok(bomb.length < 150 * 1024, `${bomb.length} bytes`);
  assert.deepEqual(await upload(bomb, 'image/png'), { status: 422, body: { error: {
    code: 'photo.too_many_pixels', message: 'the image is 10000 x 10000 pixels; at most 40 megapixels are accepted' } } });
  assert.deepEqual(await upload(GIF, 'image/jpeg'), { status: 415, body: { error: {
    code: 'photo.unsupported_type', message: 'a photo must be a JPEG, PNG or WebP image (judged by its content)' } } });
  const whole = png({ width: 300, height: 300, gray: 7 });
  const truncated = await upload(png({ width: 300, height: 300, gray: 7, cut: whole.length - 40 }), 'image/png');
  assert.equal(truncated.status, 422);
  assert.equal(truncated.body.error.code, 'photo.unreadable');
  const big = await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 0xff), 'image/jpeg');
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, 'photo.too_large');
  // Other endpoints keep their 64 KiB limit.
  const events = await fetch(`${server.base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(70000) });
  assert.equal(events.status, 413);
  assert.equal((await events.json()).error.code, 'request.too_large');
  // A name that is not a photo's is 404, traversal included.
  for (const name of ['../vouch.db', 'abc.webp', `${'0'.repeat(32)}.webp`]) {
    const res = await fetch(`${server.base}/v1/photos/${encodeURIComponent(name)}`);
    assert.equal(res.status, 404, name);
  }
});

test('a review names its uploaded photos; an unknown one is refused', async () => {
  const photo = (await upload(png({ width: 120, height: 90, gray: 200 }), 'image/png')).body.photo;
  const review = { client_id: 'c-photo-1', product: 'sku-1', rating: 5, body: 'Great boots, see the photo.', author: { name: 'Ana P.' } };
  const bad = await fetch(`${server.base}/v1/reviews`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...review, photos: [photo, 'f'.repeat(32)] }) });
  assert.equal(bad.status, 400);
  assert.deepEqual((await bad.json()).error, { code: 'review.unknown_photo', path: '/photos/1',
    message: `no uploaded photo is named "${'f'.repeat(32)}"; upload it to /v1/reviews/photos first` });
  const ok = await fetch(`${server.base}/v1/reviews`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...review, photos: [photo] }) });
  assert.equal(ok.status, 201);
  const { id } = await ok.json();
  const start = Date.now();
  let item;
  while (!item && Date.now() - start < 20000) {
    const queue = await (await fetch(`${server.base}/v1/admin/moderation`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } })).json();
    item = queue.pending.find((u) => u.id === id);
    if (!item) await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(item.media, [{ type: 'image', url: `/v1/photos/${photo}.webp`, alt: 'Photo by Ana P.' }]);
});
