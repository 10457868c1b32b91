// The persistent outbox: events wait in localStorage until the server has
// acknowledged them (accepted, or rejected for good). Batches stay under the
// server's limits (100 events, 64 KiB) and under the 64 KiB keepalive budget,
// so a flush on pagehide is delivered even as the page goes away.
// Only 429, 502-504 and network failures are retried: a batch refused whole
// for what it holds (413, 400, ...) is split until the refused event is
// alone, which then leaves the queue with one console warning, so a poison
// event never holds back the ones behind it. Nothing is sent, or kept, unless
// `allowed()` (the shopper's consent) says so.
import { readLocal, removeLocal, writeLocal } from './storage.js';

const KEY = 'outbox';
const MAX_EVENTS = 100;
const MAX_BYTES = 60000;
const MAX_KEPT = 500;          // oldest events dropped beyond this (storage quota)
const MAX_DELAY_MS = 60000;
const RETRIED = new Set([429, 502, 503, 504]);   // the server (or its proxy) is busy or down

// onTokens receives the review tokens of the orders a batch created (docs/widget.md).
export function createOutbox(endpoint, warn, allowed, onTokens) {
  let memory = [];             // used when localStorage is unavailable
  let persistent = true;
  let inFlight = new Set();    // ids of events in a request that has not answered
  const requests = new Set();  // their AbortControllers, so withdrawal stops them
  let timer = 0;
  let failures = 0;
  let batchLimit = MAX_EVENTS;

  const load = () => (persistent ? readLocal(KEY, memory) : memory);
  const save = (events) => {
    memory = events;
    if (persistent && !writeLocal(KEY, events)) persistent = false;
  };

  function add(event, soon) {
    if (!allowed()) return;
    const events = load();
    events.push(event);
    save(events.slice(-MAX_KEPT));
    schedule(soon ? 0 : 1000);
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(() => flush(false), ms);
  }

  function retryLater(ms) {
    failures++;
    const backoff = Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.min(failures, 6));
    schedule(ms || backoff * (0.5 + Math.random() / 2));
  }

  function nextBatch() {
    const batch = [];
    let bytes = 12;
    for (const event of load()) {
      if (inFlight.has(event.id)) continue;
      const size = JSON.stringify(event).length + 1;
      if (batch.length >= batchLimit || (batch.length && bytes + size > MAX_BYTES)) break;
      batch.push(event);
      bytes += size;
    }
    return batch;
  }

  function forget(ids) {
    save(load().filter((event) => !ids.has(event.id)));
  }

  async function flush(leaving) {
    if (!allowed()) return;
    const batch = nextBatch();
    if (!batch.length) return;
    const body = JSON.stringify({ events: batch });
    const sameOrigin = new URL(endpoint, location.href).origin === location.origin;
    const ids = batch.map((event) => event.id);
    ids.forEach((id) => inFlight.add(id));
    const controller = new AbortController();
    requests.add(controller);
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        // text/plain keeps a cross-origin keepalive request free of a preflight.
        headers: { 'content-type': sameOrigin ? 'application/json' : 'text/plain' },
        body,
        keepalive: body.length < MAX_BYTES,
        credentials: sameOrigin ? 'same-origin' : 'omit',
        signal: controller.signal,
      });
      if (!allowed()) return;        // consent withdrawn meanwhile: the queue is gone
      const status = response.status;
      if (status === 200) {
        const answer = await response.json();
        const done = new Set(answer.accepted || []);
        for (const r of answer.rejected || []) {
          done.add(r.id);
          warn('rejected:' + r.code, `the server rejected an event (${r.code}: ${r.message})`);
        }
        if (answer.review_tokens) onTokens(answer.review_tokens);
        settled(done, ids, leaving);
      } else if (RETRIED.has(status)) {
        const seconds = Number(response.headers.get('retry-after'));
        retryLater(seconds > 0 ? seconds * 1000 : 0);
      } else if (batch.length > 1) {
        batchLimit = Math.max(1, batch.length >> 1);   // find the event the server refuses
        schedule(0);
      } else {
        warn('refused:' + status, `the server refused an event (HTTP ${status}); it was dropped`);
        settled(new Set(ids), ids, leaving);
      }
    } catch (_) {
      if (!leaving) retryLater(0);   // offline or server down: keep, try later
    } finally {
      requests.delete(controller);
      ids.forEach((id) => inFlight.delete(id));
    }
  }

  // The server answered for good about `done`: they leave the queue.
  function settled(done, ids, leaving) {
    forget(done);
    failures = 0;
    batchLimit = MAX_EVENTS;
    if (!leaving && nextBatchAfter(ids)) schedule(0);
  }

  // Consent withdrawn: nothing more is sent, and nothing waits to be.
  function clear() {
    clearTimeout(timer);
    requests.forEach((controller) => controller.abort());
    memory = [];
    removeLocal(KEY);
  }

  function nextBatchAfter(ids) {
    const sent = new Set(ids);
    return load().some((event) => !sent.has(event.id));
  }

  // Called once tracking is allowed: deliver what earlier pages left behind.
  let started = false;
  function start() {
    if (started) return;
    started = true;
    addEventListener('online', () => { failures = 0; flush(false); });
    addEventListener('pagehide', () => flush(true));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flush(true);
    });
    if (load().length) schedule(0);
  }

  return { add, start, flush, clear };
}
