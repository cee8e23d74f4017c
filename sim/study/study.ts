/**
 * A study (SPEC §7): pick the mode (auto), search the space with a strategy
 * on the study's search seeds, take the best candidate at the top fidelity,
 * and re-measure it against the current configuration on fresh seeds.
 *
 * Batches are proposed, charged and told in proposal order, and the
 * strategies' batches never depend on the worker count, so the same
 * scenario, seed, budget and strategy give the same result on 1 worker or
 * 32. The only I/O is through the runner and the callbacks.
 */
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { decideMode, profileWorkload, type AutoDecision } from './auto.js';
import { dropInactive, encode } from './codec.js';
import { behaviourKey, configChanges, type ConfigChange } from './config-paths.js';
import { confirm, type Confirmation } from './confirm.js';
import { collectEvidence, type Evidence } from './evidence.js';
import { Evaluator, type EvaluationRequest, type Scheduled } from './evaluator.js';
import { LADDER, TOP } from './fidelity.js';
import { simplifyWinner } from './simplify.js';
import { bestOf, paretoOf } from './selection.js';
import { compareOutcomes, makeObjective, notShownWorse, searchObjective, type Objective } from './objective.js';
import type { ParetoPoint } from './pareto.js';
import type { Runner } from './pool.js';
import { confirmSeeds, searchSeed, searchSeeds } from './seeds.js';
import { buildSpace, type SearchSpace } from './space.js';
import { describeSpace, type DimSummary } from './space-summary.js';
import { createStrategy, type Observation, type StrategyName } from './strategies/index.js';
import type { EvaluationRecord, Fidelity, Mode, ModeArg, Outcome, Phase, StoredMetrics } from './types.js';

export interface StudySettings {
  /** Absolute path of the scenario file (workers load it themselves). */
  scenarioPath: string;
  mode: ModeArg;
  /** Full-run equivalents the search may spend (one full-duration run on one seed = 1). */
  budget: number;
  seed: number;
  strategy: StrategyName;
  confirmReplications: number;
  /**
   * Configurations recommended by earlier studies of the same scenario
   * (`auto` warm-starts from them): tried first, near the current one.
   */
  warmStart?: Array<{ study: string; config: MeshConfig }>;
}

/** A study's phases: the evaluation phases, then the report's evidence runs (sim/study/evidence.ts). */
export type StudyPhase = Phase | 'evidence';

export interface Progress {
  phase: StudyPhase;
  spent: number;
  budget: number;
  evaluations: number;
  failed: number;
  /** Best outcome so far at the highest rung reached. */
  best: Outcome | null;
  objective: Objective | null;
}

export interface StudyCallbacks {
  /** Records of a killed run of the same study, by key: taken as they are. */
  previous?: ReadonlyMap<string, EvaluationRecord>;
  /** Each new evaluation as it finishes (finish order, not proposal order). */
  onEvaluation?: (rec: EvaluationRecord, progress: Progress) => void;
  /** The mode and objective, once known. */
  onObjective?: (objective: Objective, auto: AutoDecision | null) => void;
  onPhase?: (phase: Progress['phase'], progress: Progress) => void;
}

export interface Winner {
  candidate: number;
  config: MeshConfig;
  changes: ConfigChange[];
  /** Changes of the search's best candidate that did not help and were put back. */
  reverted: ConfigChange[];
  /** Its outcome in the search (the rung it reached). */
  outcome: Outcome;
  level: number;
}

/** Everything a study found; identical for identical settings whatever the worker count. */
export interface StudyResult {
  scenario: { name: string; file: string; description: string };
  requestedMode: ModeArg;
  mode: Mode;
  objective: Objective;
  /** The scenario's SLOs (the objective may hold only some of them as constraints). */
  slo: Scenario['slo'];
  auto: AutoDecision | null;
  strategy: StrategyName;
  budget: number;
  spent: number;
  seeds: { search: number[]; confirm: number[] };
  space: { dims: DimSummary[]; pruned: SearchSpace['pruned'] };
  evaluations: { total: number; failed: number; candidates: number; simplify: number };
  current: { config: MeshConfig; outcome: Outcome | null; metrics: StoredMetrics | null };
  winner: Winner | null;
  winnerMetrics: StoredMetrics | null;
  confirmation: Confirmation | null;
  recommendation: { action: 'adopt' | 'keep-current'; config: MeshConfig; reasons: string[] };
  pareto: ParetoPoint[];
  /** What the report charts (CDFs, timelines, load forecast), measured on the first confirmation seed. */
  evidence: Evidence;
}

export async function runStudy(scenario: Scenario, settings: StudySettings, runner: Runner, cb: StudyCallbacks = {}): Promise<StudyResult> {
  return new StudyRun(scenario, settings, runner, cb).run();
}

/** Rounds away the float dust of adding thirds (29.999999999999993 → 30). */
const tidy = (x: number): number => Math.round(x * 1e9) / 1e9;

/** One run of a study: its phases in order, sharing the evaluator and the budget. */
class StudyRun {
  private readonly space: SearchSpace;
  private readonly seeds: number[];
  private readonly fresh: number[];
  private readonly evaluator: Evaluator;
  private readonly search: EvaluationRecord[] = [];
  /** Budget charged so far, in proposal order (decides what the strategy may still ask). */
  private spent = 0;
  /** Budget of the evaluations finished so far (for progress only). */
  private doneSpent = 0;
  private finished = 0;
  private failed = 0;
  private simplifyCount = 0;
  private phase: StudyPhase = 'search';
  private objective: Objective | null = null;

  constructor(
    private readonly scenario: Scenario,
    private readonly settings: StudySettings,
    private readonly runner: Runner,
    private readonly cb: StudyCallbacks,
  ) {
    this.space = buildSpace(scenario);
    this.seeds = searchSeeds(settings.seed, TOP.seeds);
    this.fresh = confirmSeeds(settings.seed, settings.confirmReplications);
    this.evaluator = new Evaluator(runner, settings.scenarioPath, cb.previous, (rec) => {
      if (rec.phase === 'search' || rec.phase === 'auto') {
        this.finished += 1;
        this.doneSpent += rec.cost;
      }
      cb.onEvaluation?.(rec, { ...this.progress(), spent: this.doneSpent, evaluations: Math.max(this.search.length, this.finished) });
    });
  }

  private progress(): Progress {
    return {
      phase: this.phase,
      spent: this.spent,
      budget: this.settings.budget,
      evaluations: this.search.length,
      failed: this.failed,
      best: this.objective === null ? null : (bestOf(this.search, searchObjective(this.objective))?.outcome ?? null),
      objective: this.objective,
    };
  }

  private enter(phase: StudyPhase): void {
    this.phase = phase;
    this.cb.onPhase?.(phase, this.progress());
  }

  /** Schedules an evaluation that counts against the budget. */
  private charged(req: EvaluationRequest): Scheduled {
    const s = this.evaluator.schedule(req);
    this.spent += s.cost;
    if (s.replayed) {
      this.doneSpent += s.cost;
      this.finished += 1;
    }
    return s;
  }

  async run(): Promise<StudyResult> {
    const { mode, auto } = await this.chooseMode();
    const obj = this.objective!;
    this.cb.onObjective?.(obj, auto);
    // The search keeps a margin from the SLOs; claims are judged without it.
    const searchObj = searchObjective(obj);
    await this.runSearch(searchObj);
    const best = bestOf(this.search, searchObj);
    let winner: Winner | null = null;
    let confirmed: Awaited<ReturnType<StudyRun['confirmWinner']>> | null = null;
    if (best !== null && best.outcome !== null) {
      winner = await this.simplify(best, searchObj);
      confirmed = await this.confirmWinner(winner, obj);
    }
    const confirmation = confirmed?.confirmation ?? null;
    const reasons: string[] = [];
    if (winner === null) reasons.push('no candidate could be evaluated within the budget');
    else if (confirmation === null) reasons.push('the confirmation runs failed; nothing can be claimed');
    else reasons.push(...confirmation.reasons);
    const adopt = winner !== null && confirmation?.recommendation === 'adopt';
    const evidence = await this.gatherEvidence(winner);
    const currentSearch = this.search.find((r) => r.candidate === 0 && r.status === 'ok') ?? null;
    const base = this.space.base;
    return {
      scenario: { name: this.scenario.name, file: this.scenario.file, description: this.scenario.description },
      requestedMode: this.settings.mode,
      mode,
      objective: obj,
      slo: this.scenario.slo,
      auto,
      strategy: this.settings.strategy,
      budget: this.settings.budget,
      spent: tidy(this.spent),
      seeds: { search: this.seeds, confirm: this.fresh },
      space: { dims: describeSpace(this.space), pruned: this.space.pruned },
      evaluations: {
        total: this.search.length,
        failed: this.failed,
        candidates: new Set(this.search.map((r) => r.candidate)).size,
        simplify: winner === null ? 0 : this.simplifyCount,
      },
      current: {
        config: base,
        outcome: confirmation?.current ?? currentSearch?.outcome ?? null,
        metrics: confirmed?.current.metrics ?? null,
      },
      winner,
      winnerMetrics: confirmed?.winner.metrics ?? null,
      confirmation,
      recommendation: { action: adopt ? 'adopt' : 'keep-current', config: adopt ? winner!.config : base, reasons },
      pareto: paretoOf(this.search),
      evidence,
    };
  }

  /** The report's evidence runs, outside the budget, on the first confirmation seed. */
  private async gatherEvidence(winner: Winner | null): Promise<Evidence> {
    this.enter('evidence');
    const base = this.space.base;
    return collectEvidence(
      this.scenario,
      {
        scenarioPath: this.settings.scenarioPath,
        seed: this.fresh[0] ?? this.seeds[0]!,
        current: base,
        winner: winner?.config ?? null,
        sameConfig: winner !== null && behaviourKey(winner.config) === behaviourKey(base),
      },
      this.runner,
    );
  }

  /** The mode: as asked, or auto's choice from a short baseline run of the current configuration. */
  private async chooseMode(): Promise<{ mode: Mode; auto: AutoDecision | null }> {
    if (this.settings.mode !== 'auto') {
      this.objective = makeObjective(this.settings.mode, this.scenario.slo);
      return { mode: this.settings.mode, auto: null };
    }
    this.enter('auto');
    const s = this.charged({
      phase: 'auto',
      seq: 0,
      candidate: 0,
      point: null,
      config: this.space.base,
      fidelity: LADDER[0]!,
      seeds: [searchSeed(this.settings.seed, 0)],
    });
    const rec = await s.record;
    const auto = decideMode(this.scenario, profileWorkload(this.scenario, rec.outcome));
    if (rec.outcome === null) auto.reasons.unshift(`the baseline run failed (${rec.error ?? 'unknown error'}); deciding from the scenario alone`);
    const warm = this.settings.warmStart ?? [];
    if (warm.length > 0) {
      auto.reasons.push(
        `warm start: the search first tries ${warm.length} configuration${warm.length === 1 ? '' : 's'} recommended by earlier studies of this scenario (${warm.map((w) => w.study).join(', ')})`,
      );
    }
    this.objective = makeObjective(auto.mode, this.scenario.slo, auto.weights);
    return { mode: auto.mode, auto };
  }

  /** Ask, evaluate, tell — batch after batch, in proposal order, until the strategy stops. */
  private async runSearch(obj: Objective): Promise<void> {
    this.enter('search');
    const space = this.space;
    const strategy = createStrategy(this.settings.strategy, {
      space,
      rank: (a, b) => compareOutcomes(obj, a, b),
      seed: this.settings.seed,
      baseline: { point: encode(space, space.base), config: space.base },
      warmStart: (this.settings.warmStart ?? []).map((w) => encode(space, w.config)),
    });
    let seq = 0;
    for (;;) {
      const batch = strategy.ask(this.settings.budget - this.spent);
      if (batch.length === 0) return;
      const scheduled = batch.map((p) =>
        this.charged({
          phase: 'search',
          seq: seq++,
          candidate: p.candidate,
          point: p.point,
          config: p.config,
          fidelity: p.fidelity,
          seeds: this.seeds.slice(0, p.fidelity.seeds),
        }),
      );
      const records = await Promise.all(scheduled.map((s) => s.record));
      const observations: Observation[] = records.map((rec, i) => {
        this.search.push(rec);
        if (rec.status === 'failed') this.failed += 1;
        return { proposal: batch[i]!, outcome: rec.outcome };
      });
      strategy.tell(observations);
    }
  }

  /** The best candidate without the changes that do not help (measured on the search seeds). */
  private async simplify(best: EvaluationRecord, obj: Objective): Promise<Winner> {
    this.enter('simplify');
    const fidelity: Fidelity = { level: best.level, fraction: best.fraction, seeds: best.seeds.length };
    const evaluate = (config: MeshConfig, seq: number): Promise<EvaluationRecord> => {
      this.simplifyCount += 1;
      return this.evaluator.schedule({ phase: 'simplify', seq, candidate: best.candidate, point: null, config, fidelity, seeds: best.seeds }).record;
    };
    const simplified = await simplifyWinner(
      best,
      this.space.base,
      evaluate,
      (a, b) => compareOutcomes(obj, a, b),
      (a, b) => notShownWorse(obj, a, b),
    );
    const config = dropInactive(this.space, simplified.config);
    return {
      candidate: best.candidate,
      config,
      changes: configChanges(this.space.base, config),
      reverted: configChanges(config, best.config),
      outcome: simplified.outcome,
      level: best.level,
    };
  }

  /** The winner and the current configuration on fresh seeds, paired by seed. */
  private async confirmWinner(
    winner: Winner,
    obj: Objective,
  ): Promise<{ current: EvaluationRecord; winner: EvaluationRecord; confirmation: Confirmation | null }> {
    this.enter('confirm');
    const base = this.space.base;
    const same = behaviourKey(winner.config) === behaviourKey(base);
    const request = (seq: number, candidate: number, config: MeshConfig): EvaluationRequest => ({
      phase: 'confirm',
      seq,
      candidate,
      point: null,
      config,
      fidelity: TOP,
      seeds: this.fresh,
      keepMetrics: true,
    });
    const cur = this.evaluator.schedule(request(0, 0, base));
    const win = same ? cur : this.evaluator.schedule(request(1, winner.candidate, winner.config));
    const [current, challenger] = await Promise.all([cur.record, win.record]);
    const confirmation =
      current.status === 'ok' && challenger.status === 'ok'
        ? confirm(obj, this.fresh, current.perSeed as Outcome[], challenger.perSeed as Outcome[], same)
        : null;
    return { current, winner: challenger, confirmation };
  }
}
