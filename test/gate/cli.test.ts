import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../../bench/lib/library.js';
import { Sampler, Stream } from '../../sim/engine/index.js';

// `meshtune gate` end to end: exit 0 / 1 / 2, the Markdown summary, --markdown.

const root = repoRoot();
const dir = mkdtempSync(path.join(os.tmpdir(), 'meshtune-gate-test-'));

function gate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'sim/cli/main.ts'), 'gate', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

/** A bench file with one throughput task: 12 samples around `mean` with 3% spread. */
function benchFile(name: string, mean: number, seed: number): string {
  const rng = new Stream(seed, 1);
  const d = new Sampler({ dist: 'lognormal', mean, cv: 0.03 });
  const samples = Array.from({ length: 12 }, () => d.sample(rng));
  const env = { node: 'v20', cpu: 'test', cores: 2, os: 'test', date: '2024-01-01T00:00:00Z', commit: 'abc' };
  return write(name, { env, tasks: [{ name: 'PHOLD', unit: 'Mevents/s', higherIsBetter: true, samples }] });
}

test('missing file: exit 2, naming the file', () => {
  const base = benchFile('base.json', 10, 1);
  const r = gate('--baseline', base, '--candidate', 'nowhere.json');
  assert.is(r.status, 2);
  assert.match(r.stderr, /nowhere\.json: cannot read: no such file/);
  assert.not.match(r.stderr, /\n\s+at /); // no stack trace
});

test('wrong shape, not JSON, mixed kinds, missing flag, bad threshold: exit 2 with the reason', () => {
  const base = benchFile('base.json', 10, 1);
  const shape = gate('--baseline', base, '--candidate', write('shape.json', { tasks: 'many' }));
  assert.is(shape.status, 2);
  assert.match(shape.stderr, /shape\.json: env: expected an object/);
  const text = gate('--baseline', write('text.json', 'not json'), '--candidate', base);
  assert.is(text.status, 2);
  assert.match(text.stderr, /text\.json: not valid JSON/);
  const sim = write('sim.json', { scenario: 's', replications: 2, latencyMs: { p99: 1 }, ci95: { 'latencyMs.p99': [0.5, 1.5] } });
  const mixed = gate('--baseline', base, '--candidate', sim);
  assert.is(mixed.status, 2);
  assert.match(mixed.stderr, /sim\.json: expected a benchmark results file like the baseline/);
  const missing = gate('--baseline', base);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /missing --candidate/);
  const threshold = gate('--baseline', base, '--candidate', base, '--threshold', 'lots');
  assert.is(threshold.status, 2);
  assert.match(threshold.stderr, /--threshold: expected/);
});

test('same distribution: exit 0 and a Markdown table; 20% slower: exit 1 and --markdown written', () => {
  const base = benchFile('base.json', 10, 1);
  const same = gate('--baseline', base, '--candidate', benchFile('same.json', 10, 2));
  assert.is(same.status, 0, same.stderr);
  assert.match(same.stdout, /\| PHOLD \| Mevents\/s \|/);
  assert.match(same.stdout, /no change/);
  const md = path.join(dir, 'summary.md');
  const slow = gate('--baseline', base, '--candidate', benchFile('slow.json', 10 / 1.2, 3), '--markdown', md, '--threshold', '5%');
  assert.is(slow.status, 1);
  assert.match(slow.stdout, /❌ slower/);
  assert.match(slow.stderr, /gate failed: .*PHOLD/);
  assert.match(readFileSync(md, 'utf8'), /❌ 1 task significantly worse by more than 5\.0%/);
});

test('simulate outputs: p99 30% worse is exit 1', () => {
  const sim = (p99: number, lo: number, hi: number, dr = 0.99): unknown => ({
    scenario: 's',
    seed: 1,
    replications: 5,
    deliveryRatio: dr,
    latencyMs: { mean: 10, p50: 8, p90: 20, p99, p999: 40, max: 50 },
    throughputPerSec: 100,
    cost: { perDelivered: 0 },
    ci95: { deliveryRatio: [dr - 0.001, dr + 0.001], 'latencyMs.p99': [lo, hi], 'latencyMs.mean': [9.5, 10.5], throughputPerSec: [99, 101] },
  });
  const r = gate('--baseline', write('a.json', sim(30, 28, 32)), '--candidate', write('b.json', sim(39, 37, 41)));
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stdout, /\| p99 latency \(ms\) ↓ \|.*\| \+30\.0% \|.*disjoint CIs \| ❌ worse \|/);
  // --only picks benchmark tasks: on replicated runs it would be ignored, so it is refused.
  const only = gate('--baseline', path.join(dir, 'a.json'), '--candidate', path.join(dir, 'b.json'), '--only', 'p99');
  assert.is(only.status, 2, only.stderr);
  assert.match(only.stderr, /^meshtune: --only: picks benchmark tasks by name; \S*a\.json is not a benchmark results file/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
