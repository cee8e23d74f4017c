#!/usr/bin/env node
// Runs the uvu suite under tsx and ends with one line: "N passed, N failed".
// uvu prints no totals when a file throws while loading; that counts as a failure.
// Usage: node scripts/run-tests.mjs [pattern]   (pattern filters test file paths)
//
// The files are split across one uvu process per core (MESHTUNE_TEST_JOBS
// overrides), balanced by each file's measured time (scripts/test-times.json,
// longest first onto the least loaded process): the suite is CPU-bound and
// one process would leave every other core idle. Each process's output is
// printed whole, in order; the first one streams as it runs.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ensureBuild } from '../bin/build.js';
import { listTestFiles, uvuPattern } from './test-files.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** How long a test process may live after printing its summary (MESHTUNE_TEST_LINGER_MS overrides). */
const LINGER_MS = Number(process.env.MESHTUNE_TEST_LINGER_MS ?? 30_000);
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');
// A filter only ever selects test files, never fixtures that happen to match it.
const filter = process.argv[2] ? new RegExp(process.argv[2], 'i') : null;
const files = listTestFiles(root, filter);

// Tests that start the CLI find dist/ fresh: built once here, never by two processes at once.
ensureBuild('sim/cli/main.js');

const shards = split(files, jobCount(files.length));
const outputs = shards.map(() => ({ all: '', pending: '', done: false }));
let printed = 0; // shards whose output is on the terminal in full
const totals = { passed: 0, failed: 0 };

await Promise.all(shards.map((shard, i) => runShard(shard, i)));
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed > 0 ? 1 : 0);

function jobCount(fileCount) {
  const asked = Number(process.env.MESHTUNE_TEST_JOBS);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const jobs = Number.isInteger(asked) && asked > 0 ? asked : cores;
  return Math.max(1, Math.min(jobs, fileCount));
}

/** Longest-processing-time-first: each file onto the process with the least time so far. */
function split(all, jobs) {
  const times = readTimes();
  const known = Object.values(times).sort((a, b) => a - b);
  const typical = known.length > 0 ? known[Math.floor(known.length / 2)] : 1;
  const weight = (f) => times[f] ?? typical;
  const buckets = Array.from({ length: jobs }, () => ({ files: [], load: 0 }));
  for (const file of [...all].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
    const lightest = buckets.reduce((best, b) => (b.load < best.load ? b : best));
    lightest.files.push(file);
    lightest.load += weight(file);
  }
  return buckets.map((b) => b.files.sort()).filter((b) => b.length > 0);
}

function readTimes() {
  const file = path.join(root, 'scripts', 'test-times.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

function runShard(shard, index) {
  const child = spawn(process.execPath, ['--import', 'tsx', uvu, 'test', uvuPattern(shard), '--no-color'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const out = outputs[index];
  let lingering = null;
  child.stdout.on('data', (chunk) => {
    const text = chunk.toString();
    out.all += text;
    out.pending += text;
    if (index === printed) flush();
    // uvu's summary is printed: a process still alive long after it is held
    // by a handle some test left open (a socket, a timer). That is a defect to
    // report, not a reason to hang the suite.
    if (lingering === null && /Duration:/.test(out.all)) {
      lingering = setTimeout(() => {
        out.pending += `\n  FAIL  a test file of this process left a handle open: it did not exit ${LINGER_MS / 1000} s after its summary\n`;
        out.hung = true;
        child.kill('SIGKILL');
      }, LINGER_MS);
    }
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      if (lingering !== null) clearTimeout(lingering);
      const plain = out.all.replace(/\x1b\[[0-9;]*m/g, '');
      const total = /Total:\s+(\d+)/.exec(plain);
      const passed = /Passed:\s+(\d+)/.exec(plain);
      const nPassed = passed ? Number(passed[1]) : 0;
      let nFailed = total && passed ? Number(total[1]) - nPassed : 0;
      if (!total || !passed) nFailed = Math.max(1, nFailed); // crashed before the summary
      if ((code !== 0 || out.hung) && nFailed === 0) nFailed = 1;
      totals.passed += nPassed;
      totals.failed += nFailed;
      out.done = true;
      flush();
      resolve();
    });
  });
}

/** Writes what can be written in order: the running shard's new text, then every finished one after it. */
function flush() {
  while (printed < outputs.length) {
    const out = outputs[printed];
    if (out.pending.length > 0) {
      process.stdout.write(out.pending);
      out.pending = '';
    }
    if (!out.done) return;
    printed += 1;
  }
}
