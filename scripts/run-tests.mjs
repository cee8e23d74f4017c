#!/usr/bin/env node
// Runs the uvu suite under tsx and ends with one line: "N passed, N failed".
// uvu prints no totals when a file throws while loading; that counts as a failure.
// Usage: node scripts/run-tests.mjs [pattern]   (pattern filters test file paths)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// A filter only ever selects test files, never fixtures that happen to match it.
const pattern = process.argv[2] ? `^(?=.*(?:${process.argv[2]})).*\\.test\\.ts$` : '\\.test\\.ts$';
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');

const child = spawn(process.execPath, ['--import', 'tsx', uvu, 'test', pattern, '--no-color'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
});

let out = '';
child.stdout.on('data', (chunk) => {
  const text = chunk.toString();
  out += text;
  process.stdout.write(text);
});

child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = /Total:\s+(\d+)/.exec(plain);
  const passed = /Passed:\s+(\d+)/.exec(plain);
  let nPassed = passed ? Number(passed[1]) : 0;
  let nFailed = total && passed ? Number(total[1]) - nPassed : 0;
  if (!total || !passed) nFailed = Math.max(1, nFailed); // crashed before the summary
  if (code !== 0 && nFailed === 0) nFailed = 1;
  process.stdout.write(`\n${nPassed} passed, ${nFailed} failed\n`);
  process.exit(nFailed > 0 ? 1 : 0);
});
