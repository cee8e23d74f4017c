#!/usr/bin/env node
// Measures how often the regression gate cries wolf: runs a benchmark suite
// N + 1 times on unchanged code, then gates each run against the next one
// (runs minutes apart, as in CI) and counts the verdicts that say "slower".
// Usage: node scripts/gate-false-alarms.mjs [suite=micro] [pairs=10] [-- extra bench flags]
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tmpdir } from 'node:os';

const [suite = 'micro', pairsArg = '10', ...rest] = process.argv.slice(2);
const extra = rest[0] === '--' ? rest.slice(1) : rest;
const pairs = Number(pairsArg);
const dir = path.join(tmpdir(), `gate-false-alarms-${process.pid}`);
mkdirSync(dir, { recursive: true });
const runs = [];
for (let i = 0; i <= pairs; i++) {
  const out = path.join(dir, `run-${i}`);
  process.stderr.write(`run ${i + 1} of ${pairs + 1}…\n`);
  const r = spawnSync(process.execPath, ['bin/bench.js', suite, '--out', out, ...extra], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench run ${i} failed`);
  runs.push(path.join(out, `${suite}.json`));
}
let alarms = 0;
for (let i = 0; i < pairs; i++) {
  const g = spawnSync(process.execPath, ['bin/meshtune.js', 'gate', '--baseline', runs[i], '--candidate', runs[i + 1]], { encoding: 'utf8' });
  const verdict = g.status === 0 ? 'no regression' : g.status === 1 ? 'REGRESSION' : `error ${g.status}`;
  if (g.status === 1) alarms++;
  process.stdout.write(`pair ${i + 1}: ${verdict}\n`);
  if (g.status === 1) process.stdout.write(g.stdout.split('\n').filter((l) => /slower/i.test(l)).join('\n') + '\n');
}
process.stdout.write(`${suite}: ${alarms} false alarm(s) in ${pairs} pairs of unchanged runs\n`);
rmSync(dir, { recursive: true, force: true });
