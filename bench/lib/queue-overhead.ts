/**
 * What the queue adds to one evaluation (SPEC §7.1): the same trivial
 * simulation asked one at a time of a local thread (PiscinaRunner, 1 thread)
 * and of the queue (QueueRunner → Redis → a `meshtune worker` process of one
 * thread → back), timed from asking to the result in hand.
 *
 * The machine is shared: the two are asked alternately, sample by sample, so
 * a burst of load hits both, in rounds whose medians and load are kept apart.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { QueueAddress } from '../../sim/queue/index.js';
import { QueueRunner } from '../../sim/queue/runtime.js';
import { PiscinaRunner } from '../../sim/runner/piscina-runner.js';
import type { Runner } from '../../sim/runner/runner.js';
import type { RunTask } from '../../sim/runner/task.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { meshtuneVersion, scenarioHash } from '../../sim/study/persist.js';
import { loadNow, startWorker } from './queue-procs.js';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** mm1 cut to this fraction of its duration: ~160 messages, well under a millisecond of simulation. */
export const TRIVIAL_FRACTION = 0.0002;
const WARMUP_RUNS = 30;

export interface OverheadRound {
  /** Load averages (1, 5, 15 min) when the round started. */
  load: [number, number, number];
  localMedianMs: number;
  queueMedianMs: number;
  /** Median of the per-sample differences queue − local (neighbouring samples). */
  addedMedianMs: number;
}

export interface OverheadResult {
  scenario: string;
  worker: string;
  rounds: OverheadRound[];
  samplesPerRound: number;
  /** Medians of the rounds' medians. */
  queueMedianMs: number;
  localMedianMs: number;
  addedMedianMs: number;
  /** Over every sample of every round. */
  queueP90Ms: number;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const quantile = (xs: readonly number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function timed(runner: Runner, task: RunTask): Promise<number> {
  const t = performance.now();
  const r = await runner.run(task);
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(r.error);
  return ms;
}

export async function measureOverhead(
  root: string,
  url: string,
  address: QueueAddress,
  prefix: string,
  rounds: number,
  samples: number,
  say: (line: string) => void,
): Promise<OverheadResult> {
  const file = path.join(root, 'scenarios', 'mm1.yaml');
  const version = meshtuneVersion();
  const trivial = (seed: number): RunTask => ({ scenarioPath: file, fraction: TRIVIAL_FRACTION, config: {}, seed });
  const worker = await startWorker(root, url, { ...process.env, MESHTUNE_QUEUE_PREFIX: prefix }, 1);
  const local = new PiscinaRunner(1);
  const sc = loadScenario(file);
  const queue = await QueueRunner.open({ address, prefix, studyId: 'bench-overhead', scenario: sc, hash: scenarioHash(sc), version });
  const out: OverheadRound[] = [];
  const allQueue: number[] = [];
  try {
    // The worker finds the study at its next look at the registry (every second).
    while ((await queue.connectedWorkers()) === 0) await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < WARMUP_RUNS; i++) {
      await timed(local, trivial(1_000_000 + i));
      await timed(queue, trivial(1_000_000 + i));
    }
    let seed = 0;
    for (let round = 0; round < rounds; round++) {
      const load = loadNow();
      const l: number[] = [];
      const q: number[] = [];
      for (let i = 0; i < samples; i++, seed++) {
        // Alternate which goes first, so neither always follows the other's wake-ups.
        if (i % 2 === 0) {
          l.push(await timed(local, trivial(seed)));
          q.push(await timed(queue, trivial(seed)));
        } else {
          q.push(await timed(queue, trivial(seed)));
          l.push(await timed(local, trivial(seed)));
        }
      }
      allQueue.push(...q);
      const r: OverheadRound = {
        load,
        localMedianMs: round3(median(l)),
        queueMedianMs: round3(median(q)),
        addedMedianMs: round3(median(q.map((x, k) => x - l[k]!))),
      };
      out.push(r);
      say(`  round ${round + 1}/${rounds} (load ${load.join(' ')}): queue ${r.queueMedianMs.toFixed(2)} ms, local ${r.localMedianMs.toFixed(2)} ms, added ${r.addedMedianMs.toFixed(2)} ms (medians of ${samples})`);
    }
  } finally {
    await queue.close();
    await local.close();
    await worker.stop();
  }
  return {
    scenario: `mm1 × ${TRIVIAL_FRACTION} of its duration`,
    worker: `meshtune worker --concurrency 1, its own process (${os.cpus().length} cores)`,
    rounds: out,
    samplesPerRound: samples,
    queueMedianMs: median(out.map((r) => r.queueMedianMs)),
    localMedianMs: median(out.map((r) => r.localMedianMs)),
    addedMedianMs: median(out.map((r) => r.addedMedianMs)),
    queueP90Ms: round3(quantile(allQueue, 0.9)),
  };
}
