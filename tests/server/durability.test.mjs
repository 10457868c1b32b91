// What the server acknowledged is stored: killed with SIGKILL in the middle
// of a load of batches, or stopped with SIGTERM, then restarted on the same
// database, it holds every event id a client saw in an "accepted" list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { workspace, startServer, storedIds, click, NO_LIMITS } from './harness.mjs';

let ws;

before(() => { ws = workspace(); });
after(() => ws?.cleanup());

// Clients sending batches of 20 fresh events until told to stop; returns
// the ids acknowledged and the number of requests that failed.
function load(base, { clients = 6, prefix }) {
  const acknowledged = new Set();
  let failures = 0;
  let running = true;
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let n = 0; running; ++n) {
      const events = Array.from({ length: 20 }, (_, i) => click(`${prefix}-${c}-${n}-${i}`, `v-${prefix}-${c}`));
      try {
        const res = await fetch(`${base}/v1/events`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }),
        });
        if (res.status === 200) for (const id of (await res.json()).accepted) acknowledged.add(id);
        else failures += 1;
      } catch {
        failures += 1;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  });
  return { acknowledged, stop: async () => { running = false; await Promise.all(loops); return failures; } };
}

async function until(predicate, ms = 20000) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('SIGKILL in the middle of a load, then a restart, loses no acknowledged event', async () => {
  const server = await startServer(ws, [...NO_LIMITS, '--no-access-log']);
  const run = load(server.base, { prefix: 'kill' });
  await until(() => run.acknowledged.size >= 2000);
  server.child.kill('SIGKILL');
  const { signal } = await server.exited;
  assert.equal(signal, 'SIGKILL');
  const failures = await run.stop();
  assert.ok(failures > 0, 'some requests were cut off by the kill');

  const restarted = await startServer(ws, [...NO_LIMITS, '--no-access-log']);
  try {
    const stored = new Set(await storedIds(restarted.base));
    const lost = [...run.acknowledged].filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${run.acknowledged.size} acknowledged events are missing`);
    // Batches commit whole: every stored event of this load came in complete batches of 20.
    const killed = [...stored].filter((id) => id.startsWith('kill-'));
    assert.equal(killed.length % 20, 0);
  } finally {
    await restarted.stop();
  }
});

test('SIGTERM during a load exits 0 after answering in-flight batches, and all acknowledged events are stored', async () => {
  const server = await startServer(ws, [...NO_LIMITS, '--no-access-log']);
  const run = load(server.base, { prefix: 'term' });
  await until(() => run.acknowledged.size >= 1000);
  server.child.kill('SIGTERM');
  const { code } = await server.exited;
  assert.equal(code, 0);
  await run.stop();
  assert.match(server.stderr(), /"event":"shutdown"/);
  assert.match(server.stderr(), /"event":"stopped"/);

  const restarted = await startServer(ws, [...NO_LIMITS, '--no-access-log']);
  try {
    const stored = new Set(await storedIds(restarted.base));
    const lost = [...run.acknowledged].filter((id) => !stored.has(id));
    assert.deepEqual(lost, []);
  } finally {
    await restarted.stop();
  }
});
