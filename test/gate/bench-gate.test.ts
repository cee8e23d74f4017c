import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../../bench/lib/library.js';
import { Sampler, Stream } from '../../sim/engine/index.js';
import {
  compareBench,
  compareTask,
  confirmSlower,
  exactNames,
  poolRuns,
  readGateDocument,
  scenarioOfTask,
  type BenchTask,
} from '../../sim/gate/index.js';

const OPTS = { threshold: 0.05 };

test('a benchmark file against itself: no change on every task', () => {
  const file = path.join(repoRoot(), 'results', 'baselines', 'scenarios-quick.json');
  const doc = readGateDocument(JSON.parse(readFileSync(file, 'utf8')), file);
  assert.is(doc.kind, 'bench');
  if (doc.kind !== 'bench') return;
  const c = compareBench(doc.tasks, doc.tasks, OPTS);
  assert.is(c.tasks.length, doc.tasks.length);
  // A task the benchmark marked too brief to time is shown, not gated; every other one shows no change.
  const ungated = new Set(doc.tasks.filter((t) => t.ungated !== undefined).map((t) => t.name));
  assert.ok(c.tasks.every((t) => t.verdict === (ungated.has(t.name) ? 'not gated' : 'no change') && t.ratio === 1 && !t.significant));
  assert.ok(c.tasks.some((t) => t.verdict === 'no change'));
  assert.is(c.failed, false);
  assert.equal(c.notes, []);
});

/** n samples of a noisy timing: lognormal around `mean` with coefficient of variation `cv` (seeded). */
function noisy(seed: number, n: number, mean: number, cv: number): number[] {
  const rng = new Stream(seed, 3);
  const d = new Sampler({ dist: 'lognormal', mean, cv });
  return Array.from({ length: n }, () => d.sample(rng));
}

function task(samples: number[], higherIsBetter = true): BenchTask {
  return { name: 'task', unit: 'Mops/s', higherIsBetter, samples };
}

test('two noisy runs of the same distribution: no change in 10 of 10 trials', () => {
  let alarms = 0;
  for (let trial = 0; trial < 10; trial++) {
    // 12 samples per side with 8% spread, as a micro task on a busy machine.
    const a = noisy(1000 + 2 * trial, 12, 10, 0.08);
    const b = noisy(1001 + 2 * trial, 12, 10, 0.08);
    const c = compareTask(task(a), task(b), OPTS);
    if (c.verdict !== 'no change') alarms++;
  }
  assert.is(alarms, 0, `${alarms} false alarms in 10 trials`);
});

test('synthetic shifts: 20% slower is flagged, 2% is not, 20% faster is faster', () => {
  const base = noisy(11, 12, 10, 0.03);
  const scaled = (f: number): number[] => noisy(12, 12, 10, 0.03).map((x) => x * f);
  assert.is(compareTask(task(base), task(scaled(1 / 1.2)), OPTS).verdict, 'slower');
  assert.is(compareTask(task(base), task(scaled(1 / 1.02)), OPTS).verdict, 'no change');
  assert.is(compareTask(task(base), task(scaled(1.2)), OPTS).verdict, 'faster');
  // Lower-is-better tasks: a larger time is slower.
  assert.is(compareTask(task(base, false), task(scaled(1.2), false), OPTS).verdict, 'slower');
});

test('a task the benchmark marks as too brief to time is shown, never failed on, from either file', () => {
  const base = noisy(11, 12, 10, 0.03);
  const halved = noisy(12, 12, 10, 0.03).map((x) => x / 2);
  const why = 'the simulation takes 25 ms of CPU (median), too brief to time';
  for (const [a, b] of [[{ ...task(base), ungated: why }, task(halved)], [task(base), { ...task(halved), ungated: why }]] as const) {
    const t = compareTask(a, b, OPTS);
    assert.is(t.verdict, 'not gated');
    assert.is(t.reason, `not gated: ${why}`);
    assert.ok(t.change < -0.4, 'the change is still measured and shown');
    const c = compareBench([{ ...a, name: 'brief' }, { ...task(base), name: 'long' }], [{ ...b, name: 'brief' }, { ...task(base), name: 'long' }], OPTS);
    assert.is(c.failed, false);
  }
  // Without the mark, the same halving fails.
  assert.is(compareTask(task(base), task(halved), OPTS).verdict, 'slower');
});

test('the verdict is deterministic (seeded bootstrap)', () => {
  const a = noisy(21, 10, 5, 0.1);
  const b = noisy(22, 10, 5.5, 0.1);
  assert.equal(compareTask(task(a), task(b), OPTS), compareTask(task(a), task(b), OPTS));
});

test('tasks in one file only are listed, not failed on', () => {
  const a: BenchTask[] = [{ ...task([1, 2, 3, 4, 5]), name: 'kept' }, { ...task([1, 2, 3]), name: 'gone' }];
  const b: BenchTask[] = [{ ...task([1, 2, 3, 4, 5]), name: 'kept' }, { ...task([1, 2, 3]), name: 'new' }];
  const c = compareBench(a, b, OPTS);
  assert.equal(c.tasks.map((t) => t.name), ['kept']);
  assert.is(c.notes.length, 2);
  assert.is(c.failed, false);
});

test('pooled runs: one sample per file, its median; tasks missing from a file are dropped', () => {
  const run = (xs: number[], extra = false) => ({
    kind: 'bench' as const,
    env: {},
    tasks: [{ ...task(xs), name: 'a' }, ...(extra ? [{ ...task([1]), name: 'b' }] : [])],
  });
  const { doc, dropped } = poolRuns([run([1, 2, 3], true), run([4, 6]), run([10, 30, 20, 40])]);
  assert.equal(doc.tasks.map((t) => [t.name, t.samples]), [['a', [2, 5, 25]]]);
  assert.equal(dropped, ['b']);
});

test('confirmation: only tasks slower in both runs fail; task names map back to scenarios', () => {
  assert.is(scenarioOfTask('p2p-10k: wall time (normalised)'), 'p2p-10k');
  assert.is(scenarioOfTask('a: b: events/s'), 'a: b');
  assert.is(scenarioOfTask('reference: PHOLD 2M events'), null);
  const re = new RegExp(exactNames(['default', 'x.y (z)']));
  assert.ok(re.test('x.y (z)') && re.test('default') && !re.test('default2') && !re.test('xay (z)'));
  const base = noisy(31, 10, 10, 0.03);
  const slow = noisy(32, 10, 10, 0.03).map((x) => x / 1.3);
  const same = noisy(33, 10, 10, 0.03);
  const named = (name: string, s: number[]): BenchTask => ({ ...task(s), name });
  const first = compareBench([named('a', base), named('b', base)], [named('a', slow), named('b', slow)], OPTS);
  const second = compareBench([named('a', base), named('b', base)], [named('a', slow), named('b', same)], OPTS);
  const v = confirmSlower(first, second);
  assert.equal(v.flagged, ['a', 'b']);
  assert.equal(v.confirmed.map((t) => t.name), ['a']);
  assert.equal(v.unconfirmed, ['b']);
});

// The same check on real timings — an engine built with a deliberate extra
// loop (test/fixtures/gate/slow-queue.ts) — is a measurement, not a test: it
// runs in scripts/check-gate-sensitivity.ts, because timed tests on a shared
// machine fail for reasons that are not the code's.

test.run();
