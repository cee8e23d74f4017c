/**
 * Evaluations of configurations at a fidelity on a list of seeds, on top of
 * a `Runner`. Each (configuration, fidelity, seed) is simulated at most once
 * per study: a later evaluation that needs the same run shares it, and is
 * charged nothing for it. Costs are charged when an evaluation is scheduled,
 * in proposal order, so the budget spent never depends on which run finishes
 * first. A resumed study hands in the records of a killed one: those
 * evaluations are taken as they were, not run again.
 */
import { combineReplications } from '../metrics/replications.js';
import type { Metrics } from '../metrics/types.js';
import type { MeshConfig } from '../scenario/types.js';
import { behaviourKey, configKey } from './config-paths.js';
import { meanOutcome, outcomeOf } from './outcome.js';
import type { Runner } from '../runner/runner.js';
import type { EvaluationRecord, Fidelity, Outcome, Phase } from './types.js';

interface RunDone {
  outcome: Outcome | null;
  error: string | null;
  metrics: Metrics | null;
}

export interface EvaluationRequest {
  phase: Phase;
  seq: number;
  candidate: number;
  point: number[] | null;
  config: MeshConfig;
  fidelity: Fidelity;
  seeds: number[];
  /** Keep the full metrics in the record (confirmation rows). */
  keepMetrics?: boolean;
}

export interface Scheduled {
  /** Budget charged, full-run equivalents. */
  cost: number;
  /** True when the record comes from the log of a previous run of the study. */
  replayed: boolean;
  record: Promise<EvaluationRecord>;
}

/** Why a logged record cannot stand for the evaluation a resumed study asks for. */
export class ResumeMismatch extends Error {
  override readonly name = 'ResumeMismatch';
}

export function recordKey(phase: Phase, seq: number): string {
  return `${phase}:${seq}`;
}

export class Evaluator {
  private readonly runs = new Map<string, Promise<RunDone>>();
  /**
   * Records reach `onFinished` in the order they were scheduled, whatever
   * order their runs finish in (two threads, or machines on a queue): the
   * log of a study is the same however it was run.
   */
  private logged: Promise<void> = Promise.resolve();
  /**
   * What `onFinished` threw (a log that cannot be written): no record is
   * handed on after it, and the study stops at its next evaluation or flush
   * with this error instead of running on unrecorded.
   */
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly runner: Runner,
    private readonly scenarioPath: string,
    private readonly previous: ReadonlyMap<string, EvaluationRecord> = new Map(),
    private readonly onFinished: (rec: EvaluationRecord) => void = () => {},
  ) {}

  schedule(req: EvaluationRequest): Scheduled {
    if (this.failure !== null) throw this.failure.error;
    const key = recordKey(req.phase, req.seq);
    const ck = configKey(req.config);
    const bk = behaviourKey(req.config);
    const runKey = (seed: number) => `${bk}|${req.fidelity.fraction}|${seed}`;
    const prev = this.previous.get(key);
    if (prev !== undefined) {
      checkSame(prev, req, ck);
      prev.seeds.forEach((seed, i) => {
        const o = prev.perSeed[i] ?? null;
        if (!this.runs.has(runKey(seed))) {
          this.runs.set(runKey(seed), Promise.resolve({ outcome: o, error: o === null ? (prev.error ?? 'failed') : null, metrics: null }));
        }
      });
      return { cost: prev.cost, replayed: true, record: Promise.resolve(prev) };
    }
    let cost = 0;
    const started = performance.now();
    const runs = req.seeds.map((seed) => {
      const k = runKey(seed);
      let p = this.runs.get(k);
      if (p === undefined) {
        cost += req.fidelity.fraction;
        p = this.runner
          .run({ scenarioPath: this.scenarioPath, fraction: req.fidelity.fraction, config: req.config, seed })
          .then((r): RunDone => (r.ok ? { outcome: outcomeOf(r.metrics), error: null, metrics: r.metrics } : { outcome: null, error: r.error, metrics: null }));
        this.runs.set(k, p);
      }
      return p;
    });
    const record = Promise.all(runs).then((done) => {
      const failed = done.find((d) => d.outcome === null);
      const perSeed = done.map((d) => d.outcome);
      const ok = failed === undefined;
      const rec: EvaluationRecord = {
        key,
        phase: req.phase,
        seq: req.seq,
        candidate: req.candidate,
        level: req.fidelity.level,
        fraction: req.fidelity.fraction,
        seeds: req.seeds,
        point: req.point,
        config: req.config,
        status: ok ? 'ok' : 'failed',
        error: ok ? null : failed.error,
        outcome: ok ? meanOutcome(perSeed as Outcome[]) : null,
        perSeed,
        cost,
        wallMs: performance.now() - started,
      };
      if (ok && req.keepMetrics) {
        const all = done.map((d) => d.metrics);
        if (all.every((m): m is Metrics => m !== null)) {
          const { engine: _engine, ...metrics } = combineReplications(all);
          rec.metrics = metrics;
        }
      }
      return rec;
    });
    this.logged = Promise.all([this.logged, record])
      .then(([, rec]) => {
        if (this.failure === null) this.onFinished(rec);
      })
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
    return { cost, replayed: false, record };
  }

  /** Resolves once every record scheduled so far has been handed to `onFinished`. */
  flush(): Promise<void> {
    return this.logged.then(() => {
      if (this.failure !== null) throw this.failure.error;
    });
  }
}

function checkSame(prev: EvaluationRecord, req: EvaluationRequest, ck: string): void {
  const same =
    configKey(prev.config) === ck &&
    prev.fraction === req.fidelity.fraction &&
    prev.seeds.length === req.seeds.length &&
    prev.seeds.every((s, i) => s === req.seeds[i]);
  if (!same) {
    throw new ResumeMismatch(
      `evaluation ${prev.key} in the log does not match what the study asks for now (the scenario, the code or the settings changed since it started)`,
    );
  }
}
