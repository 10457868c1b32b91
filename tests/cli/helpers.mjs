// Shared by the CLI tests: run the `vouch` binary named by $VOUCH_BIN.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const bin = process.env.VOUCH_BIN ?? path.resolve('build/release/cli/vouch');
export const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Runs `vouch ...args`, optionally with stdin; returns {status, stdout, stderr}. */
export function vouch(args, input) {
  const r = spawnSync(bin, args, { input, maxBuffer: 512 << 20, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `root` ({relative path: Buffer}): two exports compared byte for byte. */
export function filesUnder(root, prefix = '') {
  const out = {};
  for (const name of readdirSync(path.join(root, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(path.join(root, rel)).isDirectory()) Object.assign(out, filesUnder(root, rel));
    else out[rel] = readFileSync(path.join(root, rel));
  }
  return out;
}
