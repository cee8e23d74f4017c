/**
 * The queue's cost (SPEC §7.1): `npm run bench queue [--redis URL] [--runs N] [--study-runs N]`.
 *
 * - Overhead per evaluation: the same trivial simulation (mm1 cut to 0.02% of
 *   its duration, ~160 messages) asked one at a time of local threads
 *   (PiscinaRunner) and of the queue (QueueRunner → Redis → a QueueWorker
 *   with one thread → back); the difference of the medians is what the queue
 *   adds to each evaluation.
 * - Throughput: a batch of full-fidelity simulations of a real scenario on 2
 *   local threads and on 2 queue worker threads (one worker, concurrency 2,
 *   in this process, so both sides use the same 2 cores), and the runs per
 *   second of one queue thread — what a machine adds, for planning N machines.
 *
 * Results go to results/queue/queue-<scenario>.json with the machine they ran on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PiscinaRunner } from '../sim/runner/piscina-runner.js';
import type { Runner } from '../sim/runner/runner.js';
import type { RunTask } from '../sim/runner/task.js';
import { loadScenario } from '../sim/scenario/index.js';
import { meshtuneVersion, scenarioHash } from '../sim/study/persist.js';
import { parseQueueUrl } from '../sim/queue/index.js';
import { QueueRunner, QueueWorker } from '../sim/queue/runtime.js';
import { collectEnv } from './lib/env.js';

const TRIVIAL_FRACTION = 0.0002;
const WARMUP_RUNS = 30;

function option(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

/** Wall ms of each of `runs` tasks asked one after another. */
async function oneByOne(runner: Runner, make: (i: number) => RunTask, runs: number): Promise<number[]> {
  for (let i = 0; i < WARMUP_RUNS; i++) await runner.run(make(1_000_000 + i));
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await runner.run(make(i));
    out.push(performance.now() - t);
    if (!r.ok) throw new Error(r.error);
  }
  return out;
}

/** Wall ms of a batch asked all at once. */
async function batch(runner: Runner, tasks: RunTask[]): Promise<number> {
  await runner.run({ ...tasks[0]!, seed: 999_999 }); // compile the model on a thread first
  const t = performance.now();
  const rs = await Promise.all(tasks.map((k) => runner.run(k)));
  const wall = performance.now() - t;
  const bad = rs.find((r) => !r.ok);
  if (bad !== undefined && !bad.ok) throw new Error(bad.error);
  return wall;
}

export async function main(argv: string[]): Promise<number> {
  const address = parseQueueUrl(option(argv, '--redis', process.env.MESHTUNE_QUEUE ?? 'redis://127.0.0.1:6379/0'));
  const runs = Number(option(argv, '--runs', '300'));
  const studyRuns = Number(option(argv, '--study-runs', '12'));
  const studyScenario = option(argv, '--scenario', 'microservice-chain');
  const prefix = `meshtune-bench-${process.pid}`;
  const version = meshtuneVersion();
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
  const file = (name: string) => path.join(root, 'scenarios', `${name}.yaml`);

  const open = async (name: string) => {
    const sc = loadScenario(file(name));
    return QueueRunner.open({ address, prefix, studyId: `bench-${name}`, scenario: sc, hash: scenarioHash(sc), version });
  };

  // Overhead per evaluation.
  const trivial = (i: number): RunTask => ({ scenarioPath: file('mm1'), fraction: TRIVIAL_FRACTION, config: {}, seed: i });
  const local1 = new PiscinaRunner(1);
  const localMs = await oneByOne(local1, trivial, runs);
  await local1.close();
  const worker1 = await QueueWorker.start({ address, prefix, concurrency: 1, version, pollMs: 50 });
  const q1 = await open('mm1');
  const queueMs = await oneByOne(q1, trivial, runs);
  await q1.close();
  await worker1.close();

  // Throughput on 2 threads each way.
  const full = (i: number): RunTask => ({ scenarioPath: file(studyScenario), fraction: 1, config: {}, seed: i });
  const tasks = Array.from({ length: studyRuns }, (_, i) => full(i));
  const local2 = new PiscinaRunner(2);
  const localWall = await batch(local2, tasks);
  await local2.close();
  const worker2 = await QueueWorker.start({ address, prefix, concurrency: 2, version, pollMs: 50 });
  const q2 = await open(studyScenario);
  const queueWall = await batch(q2, tasks);
  await q2.close();
  await worker2.close();

  const result = {
    env: collectEnv(root),
    redis: address.shown,
    overhead: {
      scenario: `mm1 × ${TRIVIAL_FRACTION} of its duration`,
      runs,
      localMedianMs: median(localMs),
      queueMedianMs: median(queueMs),
      queueP90Ms: quantile(queueMs, 0.9),
      addedMedianMs: median(queueMs) - median(localMs),
    },
    throughput: {
      scenario: studyScenario,
      runs: studyRuns,
      local2ThreadsWallMs: localWall,
      queue2ThreadsWallMs: queueWall,
      queueSpeedVsLocal: localWall / queueWall,
      runsPerSecondPerQueueThread: studyRuns / (queueWall / 1000) / 2,
    },
  };
  const dir = path.join(root, 'results', 'queue');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `queue-${studyScenario}.json`), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}
