import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simulate, loadScenario, gate, MeshtuneInputError, optimize, estimateWork } from '../../sim/api.js';
import { workerCount } from '../../sim/api/optimize.js';
import { parseEvaluations, StudyFolderError } from '../../sim/study/persist.js';
import { compileScenario } from '../../sim/model/index.js';
import { runOnce } from '../../sim/runner/index.js';
import { removeTemporary, tempDir, withoutEngine } from '../helpers.js';

const SMALL = {
  duration: '2s',
  seed: 5,
  roles: { w: { count: 2, workers: 2, service: { dist: 'exp', mean: '5ms' } } },
  workload: [{ pattern: 'poisson', to: 'w', rate: '100/s' }],
};

function inputError(f: () => unknown): MeshtuneInputError {
  try {
    f();
  } catch (err) {
    assert.instance(err, MeshtuneInputError);
    return err as MeshtuneInputError;
  }
  throw new Error('expected a MeshtuneInputError');
}

test('a scenario as a path, a library name or an object gives the same run', () => {
  const dir = tempDir('api');
  const file = path.join(dir, 'small.json');
  writeFileSync(file, JSON.stringify(SMALL));
  const a = withoutEngine(simulate(file));
  const b = withoutEngine(simulate({ ...SMALL }));
  assert.equal({ ...b, scenario: a.scenario }, a);
  assert.is(loadScenario('mm1').name, 'mm1');
});

test('errors are MeshtuneInputError with file, field and message', () => {
  const e = inputError(() => simulate({ ...SMALL, roles: { w: { count: -1, service: 5 } } }));
  assert.is(e.file, '<scenario object>');
  assert.is(e.field, 'roles.w.count');
  assert.match(e.message, /^<scenario object>: roles\.w\.count: expected at least 1/);
  assert.is(inputError(() => simulate(SMALL, { seed: 1e300 })).field, 'seed');
  assert.is(inputError(() => simulate(SMALL, { replications: 0 })).field, 'replications');
  assert.is(inputError(() => simulate('no-such-scenario')).file, 'no-such-scenario');
});

test('a configuration merged over the scenario is checked whole: a cap below the base it inherits is refused', () => {
  const scenario = { ...SMALL, config: { retry: { maxAttempts: 3, base: '100ms', cap: '200ms' } } };
  assert.ok(simulate(scenario, { config: { retry: { cap: '300ms' } } }).messages.generated > 0, 'each part valid, the merge too');
  const e = inputError(() => simulate(scenario, { config: { retry: { base: '500ms' } } }));
  assert.is(e.field, 'retry.cap');
  assert.match(e.file, /<input>|scenario.* with <config object>/);
  assert.match(e.detail, /cap >= base \(500ms\), got 200ms/);
});

test('the work estimate refuses what would not end or not fit, naming the field and the flag; a raised limit lets it run', () => {
  const big = { ...SMALL, duration: '100s', workload: [{ pattern: 'poisson', to: 'w', rate: '5000/s' }] };
  const e = inputError(() => simulate(big, { limits: { maxEvents: 1e5, maxPending: 1e9 } }));
  assert.is(e.field, 'workload[0].rate');
  assert.match(e.detail, /would process about 1\.0e6 events .* over the limit of 100,000; lower it, or raise the limit with --max-events/);
  const crash = { ...SMALL, faults: [{ kind: 'crash', target: 'w', count: 1, mtbf: 0.000001, mttr: 0.000001 }] };
  assert.is(inputError(() => simulate(crash)).field, 'faults[0].mtbf');
  const flood = { ...SMALL, workload: [{ pattern: 'poisson', to: 'w', rate: '1000000000/s' }] };
  assert.match(inputError(() => simulate(flood)).detail, /messages in flight .*--max-pending/);
  const closed = { ...SMALL, roles: { w: { count: 1, service: 0 } }, workload: [{ pattern: 'closed', to: 'w', clients: 3 }] };
  const loop = inputError(() => simulate(closed));
  assert.is(loop.field, 'workload[0].think');
  assert.match(loop.detail, /endlessly many events/);
  const many = { ...SMALL, roles: { w: { count: 2_000_000, service: 5 } } };
  assert.match(inputError(() => simulate(many)).detail, /2\.0e6 agents.*--max-agents/);
  // Within a raised limit, the same scenario runs.
  const ok = { ...SMALL, duration: '10s', workload: [{ pattern: 'poisson', to: 'w', rate: '1000/s' }] };
  assert.match(inputError(() => simulate(ok, { limits: { maxEvents: 1e4 } })).detail, /--max-events/);
  assert.ok(simulate(ok, { limits: { maxEvents: 1e6 } }).messages.generated > 9000);
});

test('the estimate is within a few times of the events a run takes', () => {
  for (const name of ['default', 'microservice-chain', 'bursty-fanout']) {
    const sc = loadScenario(name);
    const est = estimateWork(sc, sc.config).events.value;
    const real = runOnce(compileScenario(sc), sc.config, sc.seed).engine.events;
    assert.ok(est >= real / 2 && est <= real * 5, `${name}: estimated ${est}, ran ${real}`);
  }
});

test('a run that outgrows its limits is stopped between slices and reported as bad input naming the field', () => {
  const sc = loadScenario({ ...SMALL, duration: '60s', workload: [{ pattern: 'poisson', to: 'w', rate: '10000/s' }] });
  const e = inputError(() => runOnce(compileScenario(sc), sc.config, 1, false, { limits: { maxEvents: 300_000 } }));
  assert.is(e.field, 'workload[0].rate');
  assert.match(e.detail, /the run passed 300,000 events at .* s of .* s simulated .*--max-events/);
});

test('a long run reports progress between slices, its simulated time moving forward', () => {
  const seen: number[] = [];
  simulate({ ...SMALL, duration: '60s', workload: [{ pattern: 'poisson', to: 'w', rate: '10000/s' }] }, {
    limits: { maxPending: 1e9, maxEvents: 1e9 },
    onProgress: (p) => seen.push(p.simMs),
  });
  assert.ok(seen.length >= 2, `${seen.length} reports`);
  assert.ok(seen.every((t, i) => i === 0 || t >= seen[i - 1]!), 'forward');
  assert.ok(seen[seen.length - 1]! <= 62_000);
});

test('optimize refuses what simulate refuses, before it creates the study folder', async () => {
  const dir = tempDir('api-optimize');
  const file = path.join(dir, 'broken.json');
  writeFileSync(file, JSON.stringify({ ...SMALL, workload: [{ pattern: 'trace', file: 'missing.csv', to: 'w' }] }));
  const out = path.join(dir, 'study');
  let err: unknown = null;
  try {
    await optimize('performance', file, { out, budget: 5, workers: 1 });
  } catch (e) {
    err = e;
  }
  assert.instance(err, MeshtuneInputError, String(err));
  assert.match((err as Error).message, /missing\.csv/);
  assert.not.ok(existsSync(out), 'no study folder');
  let bad: unknown = null;
  try {
    await optimize('performance', file, { budget: -5 });
  } catch (e) {
    bad = e;
  }
  assert.is((bad as MeshtuneInputError).field, 'budget');
});

test('--workers above the core count is capped with a note', () => {
  const notes: string[] = [];
  const n = workerCount(64, (t) => notes.push(t));
  assert.ok(n < 64 && n >= 1);
  assert.match(notes[0] ?? '', /64 workers asked for, but this machine has \d+ cores?; using \d+/);
  assert.is(workerCount(1, (t) => notes.push(t)), 1);
  assert.is(notes.length, 1);
});

test('a study log record of the right JSON but the wrong shape is reported with its line', () => {
  const lines = readFileSync('test/fixtures/report/study/evaluations.jsonl', 'utf8').trim().split('\n');
  assert.ok(parseEvaluations(lines.join('\n')).length === lines.length);
  const broken = JSON.parse(lines[1]!) as Record<string, unknown>;
  broken.outcome = { p99: 'slow' };
  const text = [lines[0], JSON.stringify(broken), lines[2], '{"key": "cut sh'].join('\n');
  assert.throws(() => parseEvaluations(text, 'evaluations.jsonl'), (e: unknown) => e instanceof StudyFolderError && /^evaluations\.jsonl:2: outcome\.p99: expected a number$/.test((e as Error).message));
  assert.is(parseEvaluations([lines[0], '{"key": "cut sh'].join('\n')).length, 1, 'the last line, cut short by a kill, is dropped');
  assert.throws(() => parseEvaluations([lines[0], 'not json', lines[1]].join('\n')), /:2: not valid JSON/);
});

test('the gate does not pass on no evidence', () => {
  const bench = (samples: Array<number | null>[]) => ({
    env: { node: 'v20' },
    tasks: samples.map((s, i) => ({ name: `t${i}`, unit: 'ms', higherIsBetter: false, samples: s })),
  });
  const e = inputError(() => gate(bench([[null, null], []]), bench([[3, 3.1, 3.2], [3, 3, 3]])));
  assert.is(e.file, '<baseline>');
  assert.match(e.detail, /no task has usable samples/);
  const verdict = gate(bench([[1, 1.01, 0.99, 1, 1.02]]), bench([[null]]));
  assert.ok(verdict.failed, 'the only task has no evidence: the gate fails');
  assert.match(verdict.failure ?? '', /no task had samples enough/);
  assert.match(verdict.markdown, /no evidence/);
  const mixed = gate(bench([[1, 1.01, 0.99, 1, 1.02], [1, 1, 1]]), bench([[1, 1.01, 0.99, 1, 1.02], []]));
  assert.not.ok(mixed.failed, 'other evidence stands');
  assert.ok(mixed.comparison.notes.some((n) => n.includes("'t1'") && n.includes('not tested')));
});

test.after(removeTemporary);

test.run();
