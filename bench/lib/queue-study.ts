/**
 * A whole study two ways (SPEC §7.1): `meshtune optimize … --workers 2` (A)
 * against the same study with `--queue` served by `meshtune worker`
 * processes (B), on the same machine. The arms alternate (A B A B …) so the
 * load of a shared machine falls on both; each pair gives one speed ratio.
 *
 * Both arms must write the same study: best-config.json byte for byte, and
 * evaluations.jsonl line for line once `wallMs` (the one field allowed to
 * differ, SPEC §7.1) is left out. What each queue worker did (simulations and
 * events, from its last line) over the study's wall time is its throughput:
 * what one more machine of this kind adds.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './queue-overhead.js';
import { loadNow, runCli, startWorker } from './queue-procs.js';

export interface StudyArm {
  arm: 'local' | 'queue';
  /** Load averages (1, 5, 15 min) when the arm started. */
  load: [number, number, number];
  /** The study's own wall time (study.json `run.wallMs`), s. */
  studyWallS: number;
  /** The coordinator process from start to exit, s. */
  processWallS: number;
  /** The study's wall time per phase (study.json `run.phasesWallMs`), s. */
  phasesWallS: Record<string, number>;
  evaluations: number;
  /** Queue arm: each worker's simulations and events. */
  workers?: Array<{ simulations: number; events: number }>;
}

export interface StudyComparison {
  scenario: string;
  mode: string;
  budget: number;
  seed: number;
  local: string;
  queue: string;
  arms: StudyArm[];
  /** Per pair: local study wall / queue study wall. */
  speedRatios: number[];
  medianSpeedRatio: number;
  /** Every arm wrote the first arm's best-config.json, byte for byte. */
  sameBestConfig: boolean;
  /** Every arm wrote the first arm's evaluations.jsonl, but for `wallMs`. */
  sameEvaluations: boolean;
  evaluations: number;
  /** Simulations of one study (every phase) and their events, summed over the queue's workers. */
  simulations: number;
  events: number;
  /** One queue worker (one thread), median over the queue arms. */
  perQueueWorker: { evaluationsPerS: number; simulationsPerS: number; eventsPerS: number };
  /** One local thread, median over the local arms (the same simulations, so the same events). */
  perLocalThread: { evaluationsPerS: number; simulationsPerS: number; eventsPerS: number };
}

export interface StudyOptions {
  root: string;
  url: string;
  /** The URL without its password, for the results. */
  shown: string;
  prefix: string;
  scenario: string;
  mode: string;
  budget: number;
  seed: number;
  pairs: number;
  /** Threads locally, and queue workers (one thread each). */
  workers: number;
  say: (line: string) => void;
}

const withoutWall = (jsonl: string): string =>
  jsonl
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const { wallMs: _w, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return JSON.stringify(rest);
    })
    .join('\n');

export async function compareStudies(o: StudyOptions): Promise<StudyComparison> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'meshtune-bench-queue-'));
  const file = path.join(o.root, 'scenarios', `${o.scenario}.yaml`);
  const common = ['optimize', o.mode, file, '--budget', String(o.budget), '--seed', String(o.seed), '--json'];
  const env: NodeJS.ProcessEnv = { ...process.env, MESHTUNE_QUEUE_PREFIX: o.prefix };
  delete env.MESHTUNE_QUEUE;
  const arms: StudyArm[] = [];
  const outputs: Array<{ best: string; evaluations: string }> = [];
  try {
    for (let pair = 0; pair < o.pairs; pair++) {
      for (const arm of ['local', 'queue'] as const) {
        const out = path.join(tmp, `${arm}-${pair}`);
        const load = loadNow();
        let workers: StudyArm['workers'];
        let wall: number;
        if (arm === 'local') {
          wall = (await runCli(o.root, [...common, '--workers', String(o.workers), '--out', out], env)).wallMs;
        } else {
          // Workers run before the study starts, as on machines that serve many studies.
          const procs = [];
          for (let i = 0; i < o.workers; i++) procs.push(await startWorker(o.root, o.url, env, 1));
          try {
            wall = (await runCli(o.root, [...common, '--queue', o.url, '--out', out], env)).wallMs;
          } finally {
            workers = [];
            for (const p of procs) workers.push(await p.stop());
          }
        }
        if (!existsSync(path.join(out, 'study.json'))) throw new Error(`${arm}: no study written to ${out}`);
        const study = JSON.parse(readFileSync(path.join(out, 'study.json'), 'utf8')) as { run?: { wallMs?: number; phasesWallMs?: Record<string, number> } };
        const evaluations = readFileSync(path.join(out, 'evaluations.jsonl'), 'utf8');
        outputs.push({ best: readFileSync(path.join(out, 'best-config.json'), 'utf8'), evaluations });
        const a: StudyArm = {
          arm,
          load,
          studyWallS: (study.run?.wallMs ?? NaN) / 1000,
          processWallS: wall / 1000,
          phasesWallS: Object.fromEntries(Object.entries(study.run?.phasesWallMs ?? {}).map(([k, ms]) => [k, Math.round(ms) / 1000])),
          evaluations: evaluations.split('\n').filter((l) => l !== '').length,
          ...(workers !== undefined ? { workers } : {}),
        };
        arms.push(a);
        o.say(`  ${arm} ${pair + 1}/${o.pairs} (load ${load.join(' ')}): study ${a.studyWallS.toFixed(1)} s (${JSON.stringify(a.phasesWallS)}), process ${a.processWallS.toFixed(1)} s, ${a.evaluations} evaluations${workers === undefined ? '' : `; workers ${workers.map((w) => `${w.simulations} sims / ${w.events} events`).join(', ')}`}`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const locals = arms.filter((a) => a.arm === 'local');
  const queues = arms.filter((a) => a.arm === 'queue');
  const speedRatios = locals.map((l, i) => l.studyWallS / queues[i]!.studyWallS);
  const first = outputs[0]!;
  const q0 = queues[0]!.workers!;
  const simulations = q0.reduce((s, w) => s + w.simulations, 0);
  const events = q0.reduce((s, w) => s + w.events, 0);
  const evaluations = locals[0]!.evaluations;
  const per = (wallS: number) => ({
    evaluationsPerS: evaluations / wallS / o.workers,
    simulationsPerS: simulations / wallS / o.workers,
    eventsPerS: events / wallS / o.workers,
  });
  const perWorker = (a: StudyArm) => ({
    evaluationsPerS: evaluations / a.studyWallS / o.workers,
    simulationsPerS: a.workers!.reduce((s, w) => s + w.simulations, 0) / a.studyWallS / o.workers,
    eventsPerS: a.workers!.reduce((s, w) => s + w.events, 0) / a.studyWallS / o.workers,
  });
  const med = <K extends string>(rows: Array<Record<K, number>>, keys: K[]) => Object.fromEntries(keys.map((k) => [k, median(rows.map((r) => r[k]))])) as Record<K, number>;
  const keys: Array<'evaluationsPerS' | 'simulationsPerS' | 'eventsPerS'> = ['evaluationsPerS', 'simulationsPerS', 'eventsPerS'];
  return {
    scenario: o.scenario,
    mode: o.mode,
    budget: o.budget,
    seed: o.seed,
    local: `meshtune optimize … --workers ${o.workers}`,
    queue: `${o.workers} × meshtune worker --concurrency 1 (own processes) + meshtune optimize … --queue ${o.shown}`,
    arms,
    speedRatios,
    medianSpeedRatio: median(speedRatios),
    sameBestConfig: outputs.every((x) => x.best === first.best),
    sameEvaluations: outputs.every((x) => withoutWall(x.evaluations) === withoutWall(first.evaluations)),
    evaluations,
    simulations,
    events,
    perQueueWorker: med(queues.map(perWorker), keys),
    perLocalThread: med(locals.map((a) => per(a.studyWallS)), keys),
  };
}
