import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadScenario } from '../../sim/scenario/index.js';
import { PiscinaRunner } from '../../sim/runner/piscina-runner.js';
import type { Runner } from '../../sim/runner/runner.js';
import { runStudy, type StudyResult, type StudySettings } from '../../sim/study/study.js';
import { decideMode, profileWorkload } from '../../sim/study/auto.js';
import { outcomeOf } from '../../sim/study/outcome.js';
import { configKey } from '../../sim/study/config-paths.js';
import { fromJson } from '../../sim/study/persist.js';
import { CONFIRM_REPLICATIONS, TAIL_REPLICATIONS } from '../../sim/study/confirm.js';
import { DEFAULT_STRATEGY } from '../../sim/study/strategies/index.js';
import type { EvaluationRecord, RunResult, RunTask } from '../../sim/study/types.js';
import { withoutEngine } from '../helpers.js';
import { removeTemporary, tempDir } from '../helpers.js';
import { InlineRunner, fixture, normalised, root, scenarioFile } from './helpers.js';
import { spawnCli } from '../cli/cli-process.js';

process.env.MESHTUNE_TEST_HOOKS = '1';

const small = fixture('small.yaml');
const settings = (over: Partial<StudySettings> = {}): StudySettings => ({
  scenarioPath: small,
  mode: 'performance',
  budget: 20,
  seed: 1,
  strategy: DEFAULT_STRATEGY,
  confirmReplications: 10,
  ...over,
});

test('common random numbers: identical candidates on the same seed give identical metrics, on any thread', async () => {
  const runner = new PiscinaRunner(2);
  try {
    const task = { scenarioPath: small, fraction: 1, config: { routing: { balancer: 'p2c' as const } }, seed: 4 };
    const other = { ...task, config: { routing: { balancer: 'least-request' as const }, timeout: { perTry: 80 } } };
    const [a, b, c] = await Promise.all([runner.run(task), runner.run(task), runner.run(other)]);
    assert.ok(a.ok && b.ok && c.ok);
    if (!(a.ok && b.ok && c.ok)) return;
    assert.equal(withoutEngine(a.metrics), withoutEngine(b.metrics));
    // Another configuration sees the same arrivals.
    assert.is(c.metrics.messages.generated, a.metrics.messages.generated);
    assert.is.not(c.metrics.latencyMs.p99, a.metrics.latencyMs.p99);
  } finally {
    await runner.close();
  }
});

test('the same study on 1 and on 2 workers gives the same result', async () => {
  const sc = loadScenario(small);
  const results: StudyResult[] = [];
  for (const workers of [1, 2]) {
    const runner = new PiscinaRunner(workers);
    try {
      results.push(await runStudy(sc, settings({ mode: 'auto' }), runner));
    } finally {
      await runner.close();
    }
  }
  const [one, two] = results.map((r) => JSON.stringify(normalised(r)));
  assert.ok(results[0]!.evaluations.total > 10);
  assert.ok(results[0]!.winner !== null);
  assert.is(one, two);
});

/** Makes the worker die (process.exit) on every run of one configuration: the third one proposed. */
class CrashingRunner implements Runner {
  readonly workers: number;
  private readonly seen: string[] = [];
  victim: string | null = null;
  constructor(private readonly inner: Runner) {
    this.workers = inner.workers;
  }
  run(task: RunTask): Promise<RunResult> {
    const key = configKey(task.config);
    if (!this.seen.includes(key)) this.seen.push(key);
    if (this.seen.indexOf(key) === 2) {
      this.victim = key;
      return this.inner.run({ ...task, config: { ...task.config, __crash: 'exit' } as RunTask['config'] });
    }
    return this.inner.run(task);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

test('a worker that dies marks its evaluation failed and the study goes on', async () => {
  const sc = loadScenario(small);
  const runner = new CrashingRunner(new PiscinaRunner(2));
  const records: EvaluationRecord[] = [];
  try {
    // The search spends 80% of the budget: 18 runs, six evaluations of three seeds.
    const r = await runStudy(sc, settings({ strategy: 'tpe', budget: 23, evidence: false }), runner, { onEvaluation: (rec) => records.push(rec) });
    const failed = records.filter((x) => x.status === 'failed');
    assert.is(failed.length, 1);
    assert.is(configKey(failed[0]!.config), runner.victim);
    assert.match(failed[0]!.error ?? '', /exit/);
    assert.is(r.evaluations.failed, 1);
    assert.is(r.evaluations.total, 6, 'every proposal was evaluated');
    assert.ok(records.filter((x) => x.status === 'ok').length >= 5, 'later evaluations ran on a fresh worker');
    assert.ok(r.winner !== null && r.winner.candidate !== failed[0]!.candidate, 'a failed candidate never wins');
    assert.ok(r.confirmation !== null);
  } finally {
    await runner.close();
  }
});

test("auto picks cost for an overloaded LLM pool, reliability for a faulty mesh, performance for a latency-bound one, cost for a priced one with nothing to fix", async () => {
  const expected: Array<[string, string, RegExp]> = [
    ['llm-pool.yaml', 'cost', /tokens are/],
    ['faulty.yaml', 'reliability', /crash/],
    ['latency.yaml', 'performance', /bursty/],
    ['priced-roomy.yaml', 'cost', /in a screening run \(33% of the timeline, one seed\) the current configuration meets every SLO with room to spare \(p99 \d+ ms against 250 ms\), and the scenario prices what it runs/],
  ];
  const runner = new InlineRunner();
  for (const [file, mode, why] of expected) {
    const sc = loadScenario(fixture(file));
    const r = await runner.run({ scenarioPath: sc.file, fraction: 1 / 3, config: sc.config, seed: sc.seed });
    assert.ok(r.ok);
    const d = decideMode(sc, profileWorkload(sc, r.ok ? outcomeOf(r.metrics) : null, { fraction: 1 / 3, seeds: 1 }));
    assert.is(d.mode, mode, `${file}: ${d.reasons.join('; ')}`);
    assert.match(d.reasons.join('\n'), why);
    const w = d.weights;
    const top = w.cost >= w.loss && w.cost >= w.latency ? 'cost' : w.loss >= w.latency ? 'reliability' : 'performance';
    assert.is(top, mode, 'the chosen mode carries the largest weight');
  }
  // The same pipeline unpriced, or with its p99 close to the bound: nothing to save, or latency to mind.
  const roomy = loadScenario(fixture('priced-roomy.yaml'));
  const base = await runner.run({ scenarioPath: roomy.file, fraction: 1 / 3, config: roomy.config, seed: roomy.seed });
  const outcome = base.ok ? outcomeOf(base.metrics) : null;
  assert.ok(outcome !== null && outcome.p99 < 50, 'a p99 of tens of ms');
  const unpriced = { ...roomy, cost: { perMessage: 0, perGB: 0, perCpuHour: 0, perAgentHour: 0, perMTokenIn: 0, perMTokenOut: 0 } };
  assert.is(decideMode(unpriced, profileWorkload(unpriced, { ...outcome!, costPerDelivered: 0, costTotal: 0 })).mode, 'performance');
  const tight = { ...roomy, slo: { ...roomy.slo, p99: outcome!.p99 / 0.85 } };
  const close = decideMode(tight, profileWorkload(tight, outcome));
  assert.is(close.mode, 'performance', close.reasons.join('; '));
  assert.match(close.reasons.join('\n'), /the current configuration's p99 is \d+ ms, close to the/);
  // A class bound the run misses counts as the global one would: its p99 calls for performance, its delivery for reliability.
  const classy = { ...roomy, slo: { ...roomy.slo, classes: { gold: { p99: 10, deliveryRatio: null }, bulk: { p99: null, deliveryRatio: 0.999 } } } };
  const classOutcome = (gold: { p99: number; deliveryRatio: number }, bulk: { p99: number; deliveryRatio: number }) => ({ ...outcome!, classes: { gold, bulk } });
  const slowGold = decideMode(classy, profileWorkload(classy, classOutcome({ p99: 15, deliveryRatio: 1 }, { p99: 5, deliveryRatio: 1 })));
  assert.is(slowGold.mode, 'performance', slowGold.reasons.join('; '));
  assert.match(slowGold.reasons.join('\n'), /in a baseline run \(one seed\) the current configuration misses the gold p99 SLO/);
  const lossyBulk = decideMode(classy, profileWorkload(classy, classOutcome({ p99: 5, deliveryRatio: 1 }, { p99: 5, deliveryRatio: 0.99 })));
  assert.is(lossyBulk.mode, 'reliability', lossyBulk.reasons.join('; '));
  assert.match(lossyBulk.reasons.join('\n'), /misses the bulk delivery SLO/);
  const llm = profileWorkload(loadScenario(fixture('llm-pool.yaml')), null);
  const load = llm.roles.find((r) => r.role === 'llm')!.offered!;
  // 8/s × (200 + 800 × 0.05 + 150 × 2) ms / 4 replicas = 1.08.
  assert.ok(Math.abs(load - 1.08) < 1e-9, `offered load ${load}`);
});

// ---------------------------------------------------------------------------
// Resume after SIGKILL, through the real command line.

const cli = (args: string[]) => spawnCli(root, args);

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '') : []);

/** Sends `signal` to a study run once its evaluation log holds `rows` lines; fails if the study ends first. */
function signalAt(run: ReturnType<typeof cli>, jsonl: string, rows: number, signal: NodeJS.Signals): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (lines(jsonl).length >= rows) {
        clearInterval(poll);
        run.kill(signal);
        resolve();
      }
    }, 3);
    run.done.then(() => {
      clearInterval(poll);
      reject(new Error(`the study finished before it could be sent ${signal}`));
    }, reject);
  });
}

test('bad input is one line naming the file and search.<path>, exit 2, and no study folder', async () => {
  const file = scenarioFile(
    {
      duration: '2s',
      roles: { api: { count: 1, service: 1 } },
      workload: [{ pattern: 'poisson', to: 'api', rate: 10 }],
      search: { only: ['hedge.after'], exclude: ['hedge.after'] },
    },
    'empty-space',
  );
  const out = path.join(path.dirname(file), 'out');
  const r = await cli(['optimize', 'performance', file, '--out', out, '--json']).done;
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /empty-space\.json.*search\.only: no knob left to search/);
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.not.ok(existsSync(out));
});

test('cost mode without prices is refused before any run: exit 2, one line, no study folder', async () => {
  const file = scenarioFile(
    { duration: '2s', roles: { api: { count: 2, service: '5ms' } }, workload: [{ pattern: 'poisson', to: 'api', rate: '50/s' }], slo: { p99: '1s' } },
    'no-prices',
  );
  const out = path.join(path.dirname(file), 'out');
  const r = await cli(['optimize', 'cost', file, '--out', out, '--budget', '5']).done;
  assert.is(r.code, 2);
  assert.match(r.stderr, /no-prices\.json: cost: cost mode needs prices, and every one here is 0 \(every configuration would cost \$0\)/);
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.not.ok(existsSync(out));
});

test('a study killed with SIGKILL resumes without losing or repeating an evaluation, and ends as if never killed', async () => {
  const dir = path.join(tempDir('study'), 'study');
  const jsonl = path.join(dir, 'evaluations.jsonl');
  const budget = 30;
  // The same study, never interrupted (in this process, one thread): what the resumed one must end with.
  const uninterrupted: EvaluationRecord[] = [];
  const expected = await runStudy(
    loadScenario(small),
    { scenarioPath: small, mode: 'performance', budget, seed: 3, strategy: DEFAULT_STRATEGY, confirmReplications: CONFIRM_REPLICATIONS, tailReplications: TAIL_REPLICATIONS, evidence: false },
    new InlineRunner(),
    { onEvaluation: (rec) => uninterrupted.push(rec) },
  );
  // Kill it in the middle of the search, wherever the search's rows end: a
  // fixed row count drifts to the end of the study as the search changes,
  // and a kill that comes after the last row has nothing left to resume.
  const searchRows = uninterrupted.filter((r) => r.phase === 'search').length;
  const killAt = Math.floor(searchRows / 2);
  assert.ok(killAt >= 5, `a search of ${searchRows} rows`);
  const first = cli(['optimize', 'performance', small, '--budget', String(budget), '--workers', '1', '--seed', '3', '--out', dir, '--json']);
  await signalAt(first, jsonl, killAt, 'SIGKILL');
  const killed = await first.done;
  assert.is(killed.code, null, 'killed by a signal');
  const before = lines(jsonl);
  const beforeKeys = before.map((l) => {
    try {
      return (JSON.parse(l) as { key: string }).key;
    } catch {
      return null; // a line cut short by the kill
    }
  });
  assert.ok(before.length >= killAt);

  const second = await cli(['optimize', '--resume', dir, '--workers', '2', '--json']).done;
  assert.is(second.code, 0, second.stderr);
  const summary = JSON.parse(second.stdout) as { recommendation: { action: string } };
  assert.ok(summary.recommendation.action === 'adopt' || summary.recommendation.action === 'keep-current');

  const after = lines(jsonl).map((l) => fromJson(l) as EvaluationRecord);
  const keys = after.map((r) => r.key);
  assert.is(new Set(keys).size, keys.length, 'no evaluation repeated');
  assert.ok(before.length < after.length, `the kill came before the end (${before.length} of ${after.length} rows)`);
  for (const k of beforeKeys) if (k !== null) assert.ok(keys.includes(k), `evaluation ${k} kept`);
  // Off a terminal the progress line is printed every few seconds, and once more when the search ends: its last says how the search ended.
  const progress = second.stderr.split('\n').filter((l) => l.startsWith('meshtune: optimize performance:'));
  const last = /, (\d+) evaluations, best /.exec(progress[progress.length - 1] ?? '');
  assert.ok(last !== null, second.stderr);
  assert.is(Number(last[1]), after.filter((r) => r.phase === 'search').length, 'the last progress line counts every search evaluation');
  const csvRows = lines(path.join(dir, 'evaluations.csv')).length - 1;
  assert.is(csvRows, after.length, 'the CSV holds the same rows');

  // The same rows in the same order (the order the study asked for them), but their wall times.
  const withoutWall = (r: EvaluationRecord): unknown => normalised({ ...r, wallMs: 0 });
  assert.equal(keys, uninterrupted.map((r) => r.key), 'the same evaluations');
  assert.equal(after.map(withoutWall), uninterrupted.map(withoutWall), 'the same rows');
  assert.equal(fromJson(readFileSync(path.join(dir, 'best-config.json'), 'utf8')), normalised(expected.recommendation.config), 'best-config.json');
  const study = fromJson(readFileSync(path.join(dir, 'study.json'), 'utf8')) as Record<string, unknown>;
  for (const field of ['mode', 'objective', 'budget', 'spent', 'seeds', 'evaluations', 'winner', 'confirmation', 'recommendation', 'pareto', 'current', 'space'] as const) {
    assert.equal(study[field], normalised(expected[field]), field);
  }
  for (const f of ['best-config.json', 'pareto.csv', 'report.md']) assert.ok(existsSync(path.join(dir, f)), f);
});

test('a study whose advice cannot meet the SLOs exits 1, naming the limit and the sample the search tried', async () => {
  // Every request takes at least 20 ms of service; no setting gets its p99 under 5 ms.
  const dir = tempDir('study');
  const file = path.join(dir, 'unreachable.yaml');
  writeFileSync(
    file,
    [
      'duration: 2s',
      'roles: {server: {count: 2, workers: 2, service: {dist: const, value: 20ms}}}',
      'workload: [{pattern: poisson, to: server, rate: 50/s}]',
      'slo: {p99: 5ms}',
      'search: {only: [routing.balancer, timeout.perTry]}',
      '',
    ].join('\n'),
  );
  const r = await cli(['optimize', 'performance', file, '--budget', '5', '--workers', '1', '--out', path.join(dir, 'out')]).done;
  assert.is(r.code, 1, r.stderr);
  const line = /^meshtune: no configuration the study confirmed on fresh seeds meets the p99 \(5 ms\) SLO.*; the search tried (\d+) candidates with a budget of 5; a larger --budget looks further \(see .+report\.md\)$/m.exec(r.stderr);
  assert.ok(line !== null, r.stderr);
  const study = JSON.parse(readFileSync(path.join(dir, 'out', 'study.json'), 'utf8')) as { evaluations: { candidates: number } };
  assert.is(Number(line[1]), study.evaluations.candidates);
  // The smallest budget buys a bracket: a verdict on runs, not on none (at 4 the search had run nothing).
  assert.ok(study.evaluations.candidates >= 1);
});

test('Ctrl-C during a study: it says how to continue, exits 130, and keeps what it evaluated', async () => {
  const dir = path.join(tempDir('study'), 'interrupted');
  const jsonl = path.join(dir, 'evaluations.jsonl');
  const run = cli(['optimize', 'performance', small, '--budget', '30', '--workers', '1', '--seed', '3', '--out', dir]);
  await signalAt(run, jsonl, 3, 'SIGINT');
  const r = await run.done;
  assert.is(r.code, 130, r.stderr);
  const hint = /^meshtune: interrupted; the (\d+) finished evaluations? (?:is|are) kept in (.+)\/ — continue with: meshtune optimize --resume (.+)$/m.exec(r.stderr);
  assert.ok(hint !== null, r.stderr);
  assert.is(path.resolve(root, hint[2]!), dir);
  assert.is(hint[3], hint[2]);
  assert.is(Number(hint[1]), lines(jsonl).length, 'it counts the evaluations the folder holds');
  assert.not.ok(existsSync(path.join(dir, 'report.md')), 'no report of an unfinished study');
});

test.after(removeTemporary);

test.run();
