// The persistent outbox: events wait in localStorage until the server has
// acknowledged them (accepted, or rejected for good). Batches stay under the
// server's limits (100 events, 64 KiB) and under the 64 KiB keepalive budget,
// so a flush on pagehide is delivered even as the page goes away.
import { readLocal, writeLocal } from './storage.js';

const KEY = 'outbox';
const MAX_EVENTS = 100;
const MAX_BYTES = 60000;
const MAX_KEPT = 500;          // oldest events dropped beyond this (storage quota)
const MAX_DELAY_MS = 60000;

// onTokens receives the review tokens of the orders a batch created (docs/widget.md).
export function createOutbox(endpoint, warn, onTokens) {
  let memory = [];             // used when localStorage is unavailable
  let persistent = true;
  let inFlight = new Set();    // ids of events in a request that has not answered
  let timer = 0;
  let failures = 0;
  let batchLimit = MAX_EVENTS;

  const load = () => (persistent ? readLocal(KEY, memory) : memory);
  const save = (events) => {
    memory = events;
    if (persistent && !writeLocal(KEY, events)) persistent = false;
  };

  function add(event, soon) {
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
    const batch = nextBatch();
    if (!batch.length) return;
    const body = JSON.stringify({ events: batch });
    const sameOrigin = new URL(endpoint, location.href).origin === location.origin;
    const ids = batch.map((event) => event.id);
    ids.forEach((id) => inFlight.add(id));
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        // text/plain keeps a cross-origin keepalive request free of a preflight.
        headers: { 'content-type': sameOrigin ? 'application/json' : 'text/plain' },
        body,
        keepalive: body.length < MAX_BYTES,
        credentials: sameOrigin ? 'same-origin' : 'omit',
      });
      if (response.status === 200) {
        const answer = await response.json();
        const done = new Set(answer.accepted || []);
        for (const r of answer.rejected || []) {
          done.add(r.id);
          warn('rejected:' + r.code, `the server rejected an event (${r.code}: ${r.message})`);
        }
        forget(done);
        if (answer.review_tokens) onTokens(answer.review_tokens);
        failures = 0;
        batchLimit = MAX_EVENTS;
        if (!leaving && nextBatchAfter(ids)) schedule(0);
      } else if (response.status === 413 && batch.length > 1) {
        batchLimit = Math.max(1, batch.length >> 1);
        schedule(0);
      } else if (response.status === 429) {
        const seconds = Number(response.headers.get('retry-after'));
        retryLater(seconds > 0 ? seconds * 1000 : 0);
      } else {
        warn('status', `sending events failed with HTTP ${response.status}; will retry`);
        retryLater(0);
      }
    } catch (_) {
      if (!leaving) retryLater(0);   // offline or server down: keep, try later
    } finally {
      ids.forEach((id) => inFlight.delete(id));
    }
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

  return { add, start, flush };
}
