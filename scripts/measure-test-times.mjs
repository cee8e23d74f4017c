#!/usr/bin/env node
// Measures each test file on its own (wall seconds, one uvu process per file)
// and writes scripts/test-times.json, which scripts/run-tests.mjs uses to
// balance the suite across processes. Re-run after adding a slow test file:
//   node scripts/measure-test-times.mjs
// Weights only steer the split; a stale or missing entry costs balance, never
// correctness (an unknown file counts as the median file).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { listTestFiles, uvuPattern } from './test-files.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');
const times = {};
for (const file of listTestFiles(root)) {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, ['--import', 'tsx', uvu, 'test', uvuPattern([file]), '--no-color'], { cwd: root, stdio: 'ignore' });
  times[file] = Math.round(Number(process.hrtime.bigint() - started) / 1e8) / 10;
  process.stderr.write(`${file} ${times[file]} s\n`);
}
writeFileSync(path.join(root, 'scripts', 'test-times.json'), `${JSON.stringify(times, null, 1)}\n`);
