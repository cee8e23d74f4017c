import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadScenario } from '../../sim/scenario/index.js';
import { LimitedRunner } from '../../sim/runner/limited-runner.js';
import { PiscinaRunner } from '../../sim/runner/piscina-runner.js';
import type { Runner } from '../../sim/runner/runner.js';
import { runStudy, type StudySettings } from '../../sim/study/study.js';
import { fromJson } from '../../sim/study/persist.js';
import type { EvaluationRecord, RunResult, RunTask } from '../../sim/study/types.js';
import { removeTemporary } from '../helpers.js';
import { InlineRunner, root, scenarioFile } from './helpers.js';
import { spawnCli } from '../cli/cli-process.js';

// The run limits (SPEC §6.1) reach every simulation of a study: a candidate
// beyond them is one failed evaluation naming its cause, never a worker
// that runs out of memory or a run that never ends.

/** A gateway and 2 servers; the study may give the servers 1 to 64 replicas. */
const doc = {
  duration: '4s',
  warmup: '500ms',
  seed: 9,
  roles: {
    gateway: { count: 1, workers: 8, service: { dist: 'exp', mean: '1ms' } },
    server: { count: 2, workers: 1, service: { dist: 'exp', mean: '20ms' }, scale: { count: [1, 64] } },
  },
  workload: [{ pattern: 'poisson', to: 'gateway', then: ['server'], rate: '60/s' }],
  slo: { p99: '500ms' },
  // Cost mode ranks by price: replicas are what it pays for here.
  cost: { perAgentHour: 1 },
  search: { only: ['resources.server.count'] },
};

const agents = (rec: EvaluationRecord): number => 1 + (rec.config.resources?.['server']?.count ?? 2);

async function study(file: string, limits: StudySettings['limits'] | undefined): Promise<{ records: EvaluationRecord[]; winner: number | null }> {
  const settings: StudySettings = {
    scenarioPath: file,
    mode: 'cost',
    budget: 20,
    seed: 4,
    strategy: 'halving',
    confirmReplications: 4,
    evidence: false,
    ...(limits !== undefined ? { limits } : {}),
  };
  const records: EvaluationRecord[] = [];
  const r = await runStudy(loadScenario(file), settings, new InlineRunner(), { onEvaluation: (rec) => records.push(rec) });
  return { records, winner: r.winner === null ? null : 1 + (r.winner.config.resources?.['server']?.count ?? 2) };
}

test('a study with --max-agents 12: every candidate of more than 12 agents is one failed evaluation naming the field and the flag; the rest run', async () => {
  const file = scenarioFile(doc, 'limits');
  const { records, winner } = await study(file, { maxAgents: 12 });
  const search = records.filter((r) => r.phase === 'search');
  const over = search.filter((r) => agents(r) > 12);
  assert.ok(over.length >= 2, `the search proposed ${over.length} candidates over the limit`);
  for (const r of over) {
    assert.is(r.status, 'failed', `${agents(r)} agents`);
    assert.match(r.error ?? '', /resources\.server\.count|roles\.server/);
    assert.match(r.error ?? '', /over the limit of 12; lower it, or raise the limit with --max-agents/);
    assert.is(r.error!.split('\n').length, 1);
  }
  for (const r of records.filter((x) => agents(x) <= 12)) assert.is(r.status, 'ok', `${agents(r)} agents ran`);
  assert.ok(winner !== null && winner <= 12, `the winner has ${winner} agents`);
  // The same study without the limit runs every candidate: the limit is what failed them.
  const free = await study(file, undefined);
  assert.ok(free.records.every((r) => r.status === 'ok'));
});

test('a run handed to a worker thread carries its limits: one outgrowing --max-events fails with the cause, the worker lives on', async () => {
  // About 400,000 events (50,000 messages a second for 4 s), four times the
  // limit given: the estimate is not checked here, so the model stops the run partway.
  const file = scenarioFile(
    { duration: '4s', roles: { s: { count: 4, workers: 8, service: { dist: 'exp', mean: '0.1ms' } } }, workload: [{ pattern: 'poisson', to: 's', rate: '50000/s' }] },
    'limits-thread',
  );
  const pool = new PiscinaRunner(1);
  try {
    const task: RunTask = { scenarioPath: file, fraction: 1, config: {}, seed: 1 };
    const limited = await pool.run({ ...task, limits: { maxEvents: 100_000 } });
    assert.not.ok(limited.ok);
    if (!limited.ok) assert.match(limited.error, /limits-thread\.json: workload\[0\]\.rate: the run passed 100,000 events at [\d.]+ s of [\d.]+ s simulated .*raise the limit with --max-events$/);
    const free = await pool.run(task);
    assert.ok(free.ok, 'the same run without the limit, on the same worker');
  } finally {
    await pool.close();
  }
});

test('a task beyond the limits by its estimate is refused before any runner sees it; others carry the limits', async () => {
  const sc = loadScenario(scenarioFile(doc, 'limits-refuse'));
  const seen: RunTask[] = [];
  const inner: Runner = {
    workers: 1,
    run: async (t: RunTask): Promise<RunResult> => {
      seen.push(t);
      return { ok: false, error: 'not run here' };
    },
    close: async () => {},
  };
  const runner = new LimitedRunner(inner, sc, { maxAgents: 12 });
  const big = await runner.run({ scenarioPath: sc.file, fraction: 1, config: { resources: { server: { count: 40 } } }, seed: 1 });
  assert.equal(big.ok ? null : [big.refused, /the mesh would have 41 agents/.test(big.error)], [true, true]);
  assert.is(seen.length, 0);
  // A plan's task resizes the role itself (roles): the estimate is of the resized mesh.
  const resized = await runner.run({ scenarioPath: sc.file, fraction: 1, config: {}, seed: 1, roles: { server: 30 } });
  assert.ok(!resized.ok && resized.refused === true);
  await runner.run({ scenarioPath: sc.file, fraction: 1, config: {}, seed: 1 });
  assert.equal(seen.map((t) => t.limits), [{ maxAgents: 12 }]);
});

const cli = (args: string[]) => spawnCli(root, args).done;

test('optimize --max-agents: the study runs, its log holds the refused candidates, study.json keeps the limit, and a resume with another is refused', async () => {
  const file = scenarioFile(doc, 'limits-cli');
  const out = path.join(path.dirname(file), 'study');
  const r = await cli(['optimize', 'cost', file, '--budget', '20', '--workers', '1', '--seed', '4', '--max-agents', '12', '--out', out, '--json']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const rows = readFileSync(path.join(out, 'evaluations.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => fromJson(l) as EvaluationRecord);
  const failed = rows.filter((x) => x.status === 'failed');
  assert.ok(failed.length >= 1);
  assert.ok(failed.every((x) => agents(x) > 12 && /--max-agents/.test(x.error ?? '')));
  const header = fromJson(readFileSync(path.join(out, 'study.json'), 'utf8')) as { settings: StudySettings };
  assert.equal(header.settings.limits, { maxAgents: 12 });
  const again = await cli(['optimize', '--resume', out, '--max-agents', '13', '--json']);
  assert.is(again.code, 2);
  assert.match(again.stderr, /maxAgents 13 differs from the study's 12; a resumed study keeps its limits/);
  assert.is(again.stderr.trim().split('\n').length, 1);
});

test.after(removeTemporary);

test.run();
