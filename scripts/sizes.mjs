#!/usr/bin/env node
// Prints the raw and gzip size of every file in web/dist/ and checks the size
// budgets. Exit status 1 when a budget is exceeded or a budgeted file is
// missing. Usage: node scripts/sizes.mjs [--json]
// gzip is zlib level 9, as a CDN would serve it; 1 KB = 1024 bytes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../web/dist/', import.meta.url));

// Each budget names the files (paths relative to web/dist) that ship together.
const BUDGETS = [
  {
    name: 'engine (vouch-engine.wasm + engine.js with glue)',
    files: ['vouch-engine.wasm', 'engine.js'],
    maxGzipBytes: 80 * 1024,
  },
];

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? listFiles(path) : [path];
    })
    .sort();
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const pad = (text, width, right = false) => (right ? String(text).padStart(width) : String(text).padEnd(width));

let files;
try {
  files = listFiles(dist).map((path) => {
    const bytes = readFileSync(path);
    return { file: relative(dist, path), raw: statSync(path).size, gzip: gzipSync(bytes, { level: 9 }).length };
  });
} catch (e) {
  console.error(`sizes: cannot read ${dist} (run scripts/build-wasm.sh first): ${e.message}`);
  process.exit(1);
}
const byName = new Map(files.map((f) => [f.file, f]));

const budgets = BUDGETS.map((budget) => {
  const missing = budget.files.filter((f) => !byName.has(f));
  const gzip = budget.files.reduce((sum, f) => sum + (byName.get(f)?.gzip ?? 0), 0);
  const raw = budget.files.reduce((sum, f) => sum + (byName.get(f)?.raw ?? 0), 0);
  const ok = missing.length === 0 && gzip <= budget.maxGzipBytes;
  return { ...budget, raw, gzip, missing, ok };
});

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ files, budgets }, null, 2));
} else {
  const width = Math.max(4, ...files.map((f) => f.file.length));
  console.log(`${pad('file', width)}  ${pad('raw', 10, true)}  ${pad('gzip', 10, true)}`);
  for (const f of files) console.log(`${pad(f.file, width)}  ${pad(kb(f.raw), 10, true)}  ${pad(kb(f.gzip), 10, true)}`);
  console.log('');
  const nameWidth = Math.max(...budgets.map((b) => b.name.length));
  console.log(`${pad('budget', nameWidth)}  ${pad('gzip', 10, true)}  ${pad('limit', 10, true)}  status`);
  for (const b of budgets) {
    const status = b.missing.length ? `MISSING ${b.missing.join(', ')}` : b.ok ? 'ok' : 'OVER BUDGET';
    console.log(`${pad(b.name, nameWidth)}  ${pad(kb(b.gzip), 10, true)}  ${pad(kb(b.maxGzipBytes), 10, true)}  ${status}`);
  }
}
process.exit(budgets.every((b) => b.ok) ? 0 : 1);
