// Dashboard modules under node: the matching engine is disposed before a new
// roster replaces it, and the exports write CSV as the server does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchingEngine } from '../../web/admin/find.js';
import { toCsv } from '../../web/admin/format.js';

// A stand-in for engine.js that records what happens to each engine.
function fakeModule(log) {
  return {
    async createEngine(text) {
      log.push(`create ${text}`);
      return { text, dispose: () => log.push(`dispose ${text}`) };
    },
  };
}

test('the dashboard disposes its engine before loading a new roster into another, and reuses it otherwise', async () => {
  const log = [];
  const engineFor = matchingEngine(async () => fakeModule(log));
  const first = await engineFor('roster-1');
  assert.equal(await engineFor('roster-1'), first);
  const second = await engineFor('roster-2');
  assert.equal(second.text, 'roster-2');
  assert.deepEqual(log, ['create roster-1', 'dispose roster-1', 'create roster-2']);
});

test('an engine that failed to load is tried again, and a missing engine.js says how to build it', async () => {
  let attempts = 0;
  const engineFor = matchingEngine(async () => {
    attempts++;
    if (attempts === 1) throw new Error('404');
    return fakeModule([]);
  });
  await assert.rejects(engineFor('r'), /not on this server\. Build it with scripts\/build-wasm\.sh/);
  assert.equal((await engineFor('r')).text, 'r');
});

test('CSV: formulas are defused, quotes doubled, numbers and empty values as they are', () => {
  assert.equal(toCsv(['handle', 'note', 'revenue'], [['=HYPERLINK("x")', 'a,b', -12.5], [null, '@me', 0]]),
    'handle,note,revenue\r\n"\'=HYPERLINK(""x"")","a,b",-12.5\r\n,\'@me,0\r\n');
});
