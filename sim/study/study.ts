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
import { confirm, missedClassSlos, missedSlos, tailReason, violationOnMean, worstSeed, type Confirmation } from './confirm.js';
import { collectEvidence, faultNoteOf, SATURATED, type Evidence, type FaultNote } from './evidence.js';
import { Evaluator, type EvaluationRequest, type Scheduled } from './evaluator.js';
import { LADDER, TOP } from './fidelity.js';
import { withoutMoot } from './moot.js';
import { mechanismGroups, simplifyReserve, simplifyWinner } from './simplify.js';
import { bestOf, paretoOf } from './selection.js';
import { compareOutcomes, feasible, makeObjective, materiallyBetter, nonInferior, oriented, searchObjective, withoutDeliverySlo, type Objective } from './objective.js';
import type { ParetoPoint } from './pareto.js';
import type { Runner } from '../runner/runner.js';
import { LimitedRunner } from '../runner/limited-runner.js';
import type { RunLimits } from '../model/control.js';
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
   * Fresh seeds added to the confirmation when its first `confirmReplications`
   * show a configuration meeting the SLOs (confirm.ts TAIL_REPLICATIONS: the
   * command line's studies add 20); absent or 0: none.
   */
  tailReplications?: number;
  /**
   * Configurations recommended by earlier studies of the same scenario
   * (`auto` warm-starts from them): tried first, near the current one.
   */
  warmStart?: Array<{ study: string; config: MeshConfig }>;
  /**
   * Measure the report's evidence (latency distributions, timelines, the
   * load forecast) after the verdict; default true. Benchmarks and tests of
   * the search, which read only the verdict, leave it out.
   */
  evidence?: boolean;
  /**
   * Limits of each simulation's work (SPEC §6.1: `--max-events`,
   * `--max-agents`, `--max-pending`); the defaults for what is not given. A
   * candidate beyond them is one failed evaluation naming its cause.
   */
  limits?: Partial<RunLimits>;
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
  /** Changes kept because the simplification's budget ran out before they were shown not to help. */
  untested: ConfigChange[];
  /** Of `untested`, those the cheap screening found not to matter, kept for want of budget to confirm it on the search seeds. */
  unconfirmed?: ConfigChange[];
  /** Its outcome in the search (the rung it reached). */
  outcome: Outcome;
  level: number;
  /** Rank among the search's candidates at the top rung (1 = the best); a runner-up is confirmed when the best misses an SLO on fresh seeds. */
  rank: number;
}

/** The study's phases and what each spent, in full-run equivalents (one full-duration run on one seed = 1). */
export interface PhaseSpend {
  search: number;
  simplify: number;
  confirm: number;
  evidence: number;
}

/** Why no configuration meets the SLOs: the ones none reached, and what limits the closest candidate. */
export interface Shortfall {
  /** The SLOs no configuration met on the fresh seeds. */
  unmet: Array<'p99' | 'deliveryRatio'>;
  /** The class SLOs none met, as `<class> p99` or `<class> delivery ratio` (absent when none). */
  unmetClasses?: string[];
  /** The closest configuration measured (least total violation on the fresh seeds). */
  closest: 'winner' | 'current';
  /** Roles at least SATURATED busy in the closest configuration (busiest first). */
  saturated: Array<{ role: string; utilization: number }>;
  /** The scenario's faults: what the mesh must ride out. */
  faults: FaultNote[];
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
  /** What each phase spent; the search and the simplification share the budget. */
  phases: PhaseSpend;
  seeds: { search: number[]; confirm: number[] };
  space: { dims: DimSummary[]; pruned: SearchSpace['pruned'] };
  evaluations: { total: number; failed: number; candidates: number; simplify: number };
  current: { config: MeshConfig; outcome: Outcome | null; metrics: StoredMetrics | null };
  winner: Winner | null;
  winnerMetrics: StoredMetrics | null;
  confirmation: Confirmation | null;
  /**
   * What to do. `shortfall` is set when the recommended configuration misses
   * an SLO on the fresh seeds: no measured configuration met it.
   */
  recommendation: { action: 'adopt' | 'keep-current'; config: MeshConfig; reasons: string[]; shortfall: Shortfall | null };
  pareto: ParetoPoint[];
  /** What the report charts (CDFs, timelines, load forecast), measured on the first confirmation seed; null when not asked for. */
  evidence: Evidence | null;
}

export async function runStudy(scenario: Scenario, settings: StudySettings, runner: Runner, cb: StudyCallbacks = {}): Promise<StudyResult> {
  return new StudyRun(scenario, settings, runner, cb).run();
}

/** Rounds away the float dust of adding thirds (29.999999999999993 → 30). */
const tidy = (x: number): number => Math.round(x * 1e9) / 1e9;

/**
 * Most of the budget the search keeps back for simplifying the winner; the
 * search spends the rest (all but what the best candidate so far would cost
 * to simplify, simplify.ts `simplifyReserve`). Without a bound, a winner with
 * many changes costs more to simplify than a small study costs to search. A
 * search that ends early leaves the simplification all it did not spend.
 */
export const SIMPLIFY_SHARE = 0.2;

/** Runners-up confirmed on fresh seeds when the winner misses an SLO there. */
export const MAX_RUNNERS_UP = 2;

/** One run of a study: its phases in order, sharing the evaluator and the budget. */
class StudyRun {
  private readonly space: SearchSpace;
  private readonly seeds: number[];
  /** The confirmation's first seeds, and those with the tail check's (`tailReplications`) after them. */
  private readonly fresh: number[];
  private readonly freshAll: number[];
  private readonly evaluator: Evaluator;
  private readonly search: EvaluationRecord[] = [];
  /** Budget charged so far, in proposal order (decides what the strategy may still ask). */
  private spent = 0;
  /** Budget of the evaluations finished so far (for progress only). */
  private doneSpent = 0;
  private finished = 0;
  private failed = 0;
  private simplifyCount = 0;
  private readonly phaseSpend: PhaseSpend = { search: 0, simplify: 0, confirm: 0, evidence: 0 };
  private phase: StudyPhase = 'search';
  private objective: Objective | null = null;

  private readonly runner: Runner;

  constructor(
    private readonly scenario: Scenario,
    private readonly settings: StudySettings,
    runner: Runner,
    private readonly cb: StudyCallbacks,
  ) {
    // Every simulation of the study, evidence included, is held to the limits wherever it runs.
    this.runner = new LimitedRunner(runner, scenario, settings.limits ?? {});
    this.space = buildSpace(scenario);
    this.seeds = searchSeeds(settings.seed, TOP.seeds);
    this.fresh = confirmSeeds(settings.seed, settings.confirmReplications);
    this.freshAll = confirmSeeds(settings.seed, settings.confirmReplications + Math.max(0, settings.tailReplications ?? 0));
    this.evaluator = new Evaluator(this.runner, settings.scenarioPath, cb.previous, (rec) => {
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
    this.phaseSpend.search += s.cost;
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
    const ranked = rankedAtTop(this.search, searchObj);
    let confirmed: Confirmed | null = null;
    if (ranked.length > 0) {
      const winner = await this.simplify(ranked[0]!, searchObj);
      confirmed = await this.confirmWinner(winner, ranked, obj, searchObj);
    }
    const winner = confirmed?.winner ?? null;
    const confirmation = confirmed?.confirmation ?? null;
    const reasons: string[] = [];
    if (winner === null) reasons.push('no candidate could be evaluated within the budget');
    else if (confirmation === null) reasons.push('the confirmation runs failed; nothing can be claimed');
    else reasons.push(...confirmation.reasons);
    const adopt = winner !== null && confirmation?.recommendation === 'adopt';
    const evidence = this.settings.evidence === false ? null : await this.gatherEvidence(winner);
    await this.evaluator.flush();
    const currentSearch = this.search.find((r) => r.candidate === 0 && r.status === 'ok') ?? null;
    const base = this.space.base;
    const shortfall = confirmation === null ? null : shortfallOf(obj, confirmation, adopt, this.scenario);
    if (shortfall !== null) {
      reasons.push(
        `no configuration the study confirmed on fresh seeds meets the ${[...shortfall.unmet.map((m) => (m === 'p99' ? 'p99' : 'delivery-ratio')), ...(shortfall.unmetClasses ?? [])].join(' and ')} SLO on the fresh seeds; the recommendation is the closest one, not a fix`,
      );
      reasons.push(`the search tried a sample of the space within its budget (${tidy(this.settings.budget)}): a configuration that meets the SLOs may be among those it did not try; a larger --budget looks for it`);
    }
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
      phases: {
        search: tidy(this.phaseSpend.search),
        simplify: tidy(this.phaseSpend.simplify),
        confirm: tidy(this.phaseSpend.confirm),
        evidence: tidy(this.phaseSpend.evidence),
      },
      seeds: { search: this.seeds, confirm: confirmation?.seeds ?? this.fresh },
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
      winnerMetrics: confirmed?.challenger.metrics ?? null,
      confirmation,
      recommendation: { action: adopt ? 'adopt' : 'keep-current', config: withoutMoot(adopt ? winner!.config : base), reasons, shortfall },
      pareto: paretoOf(this.search),
      evidence,
    };
  }

  /** The report's evidence runs, outside the budget, on the first confirmation seed. */
  private async gatherEvidence(winner: Winner | null): Promise<Evidence> {
    this.enter('evidence');
    const base = this.space.base;
    // Evidence runs are fresh simulations, outside the budget: counted as they are asked for.
    const counting: Runner = {
      workers: this.runner.workers,
      run: (task) => {
        this.phaseSpend.evidence += task.fraction;
        return this.runner.run(task);
      },
      close: () => this.runner.close(),
    };
    return collectEvidence(
      this.scenario,
      {
        scenarioPath: this.settings.scenarioPath,
        seed: this.fresh[0] ?? this.seeds[0]!,
        current: base,
        winner: winner?.config ?? null,
        sameConfig: winner !== null && behaviourKey(winner.config) === behaviourKey(base),
      },
      counting,
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
      // The whole timeline: a third of it misses what comes later (a surge at
      // 25 s of 33, a fault at half-way) and read "nothing to fix" for a mesh
      // losing 60% of its messages. The run is the baseline's own at that
      // rung, which the search reuses when it promotes it.
      fidelity: LADDER[1]!,
      seeds: [searchSeed(this.settings.seed, 0)],
    });
    const rec = await s.record;
    const auto = decideMode(this.scenario, profileWorkload(this.scenario, rec.outcome, LADDER[1]!));
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
    // The SLOs but the delivery ratio's: what a candidate short on delivery alone meets.
    const latencyOnly = withoutDeliverySlo(obj);
    const strategy = createStrategy(this.settings.strategy, {
      space,
      rank: (a, b) => compareOutcomes(obj, a, b),
      improves: (a, b) => materiallyBetter(obj, a, b),
      meets: (o) => feasible(obj, o),
      shortOnDelivery: (o) => !feasible(obj, o) && feasible(latencyOnly, o),
      objectiveBetter: (a, b) => oriented(obj.primary, a) < oriented(obj.primary, b),
      seed: this.settings.seed,
      baseline: { point: encode(space, space.base), config: space.base },
      warmStart: (this.settings.warmStart ?? []).map((w) => encode(space, w.config)),
    });
    let seq = 0;
    for (;;) {
      const batch = strategy.ask(this.settings.budget - this.spent - this.simplificationReserve(obj));
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

  /**
   * Budget kept for simplifying the best candidate so far: what its
   * mechanisms cost to screen and check, at most SIMPLIFY_SHARE of the
   * budget (before anything is known, the whole share).
   */
  private simplificationReserve(obj: Objective): number {
    const cap = this.settings.budget * SIMPLIFY_SHARE;
    const best = bestOf(this.search, obj);
    if (best === null) return cap;
    const groups = mechanismGroups(configChanges(this.space.base, best.config)).length;
    return Math.min(cap, simplifyReserve(groups, LADDER[0]!, TOP));
  }

  /** The best candidate without the changes that are not shown to help (measured on the search seeds). */
  private async simplify(best: EvaluationRecord, obj: Objective): Promise<Winner> {
    this.enter('simplify');
    let seq = 0;
    const simplified = await simplifyWinner(best, {
      base: this.space.base,
      full: { level: best.level, fraction: best.fraction, seeds: best.seeds.length },
      screen: LADDER[0]!,
      // What the search left: the reserve it kept (simplificationReserve), and
      // more when it ended early — budget left unspent would be a winner left
      // with changes no run showed to help.
      budget: this.settings.budget - this.spent,
      evaluate: (config, fidelity) => {
        this.simplifyCount += 1;
        const s = this.evaluator.schedule({ phase: 'simplify', seq: seq++, candidate: best.candidate, point: null, config, fidelity, seeds: best.seeds.slice(0, fidelity.seeds) });
        this.spent += s.cost;
        this.phaseSpend.simplify += s.cost;
        return s;
      },
      rank: (a, b) => compareOutcomes(obj, a, b),
      acceptable: (a, b) => nonInferior(obj, a, b),
    });
    const config = dropInactive(this.space, simplified.config);
    return {
      candidate: best.candidate,
      config,
      changes: configChanges(this.space.base, config),
      reverted: configChanges(config, best.config),
      untested: simplified.untested,
      ...(simplified.unconfirmed.length > 0 ? { unconfirmed: simplified.unconfirmed } : {}),
      outcome: simplified.outcome,
      level: best.level,
      rank: 1,
    };
  }

  /**
   * The winner and the current configuration on fresh seeds, paired by seed;
   * when the first seeds show either meeting the SLOs, on the tail check's
   * seeds too, and the verdict is the one all of them give (a claim that a
   * configuration meets the SLOs must survive its rare collapses: confirm.ts
   * TAIL_REPLICATIONS). When the winner misses an SLO there, the next
   * candidates of the search that met the SLOs on every search seed are
   * confirmed in turn (at most MAX_RUNNERS_UP), and the first that meets them
   * on the fresh seeds stands in for it: a winner that passed on the search
   * seeds by luck must not hide a runner-up that holds.
   */
  private async confirmWinner(first: Winner, ranked: readonly EvaluationRecord[], obj: Objective, searchObj: Objective): Promise<Confirmed> {
    this.enter('confirm');
    const base = this.space.base;
    const baseKey = behaviourKey(base);
    const request = (seq: number, candidate: number, config: MeshConfig, seeds: number[]): EvaluationRequest => ({
      phase: 'confirm',
      seq,
      candidate,
      point: null,
      config,
      fidelity: TOP,
      seeds,
      keepMetrics: true,
    });
    // The evaluator runs a seed once per configuration: the tail check's request pays for its added seeds only.
    const scheduleConfirm = (seq: number, candidate: number, config: MeshConfig, seeds = this.fresh): Promise<EvaluationRecord> => {
      const s = this.evaluator.schedule(request(seq, candidate, config, seeds));
      this.phaseSpend.confirm += s.cost;
      return s.record;
    };
    const cur = scheduleConfirm(0, 0, base);
    let curAll: Promise<EvaluationRecord> | null = null;
    let seq = 1;
    const pair = async (w: Winner, same: boolean, current: Promise<EvaluationRecord>, seeds: number[]): Promise<Confirmed> => {
      const [c, challenger] = await Promise.all([current, same ? current : scheduleConfirm(seq++, w.candidate, w.config, seeds)]);
      const confirmation = c.status === 'ok' && challenger.status === 'ok' ? confirm(obj, seeds, c.perSeed as Outcome[], challenger.perSeed as Outcome[], same) : null;
      return { winner: w, current: c, challenger, confirmation };
    };
    const judge = async (w: Winner): Promise<Confirmed> => {
      const same = behaviourKey(w.config) === baseKey;
      const first = await pair(w, same, cur, this.fresh);
      const f = first.confirmation;
      if (f === null || this.freshAll.length === this.fresh.length || !(f.winnerFeasible || f.currentFeasible)) return first;
      curAll ??= scheduleConfirm(seq++, 0, base, this.freshAll);
      // A run that fails on an added seed backs no claim, as on the first seeds.
      const all = await pair(w, same, curAll, this.freshAll);
      all.confirmation?.reasons.push(tailReason(f, all.confirmation));
      return { ...all, first: f };
    };
    const result = await judge(first);
    if (result.confirmation === null || result.confirmation.winnerFeasible) return result;
    const firstKey = behaviourKey(first.config);
    const runnersUp = ranked
      .map((rec, i) => ({ rec, rank: i + 1 }))
      .slice(1)
      .filter(({ rec }) => feasible(searchObj, rec.outcome!) && ![baseKey, firstKey].includes(behaviourKey(rec.config)))
      .slice(0, MAX_RUNNERS_UP);
    for (const { rec, rank } of runnersUp) {
      const config = dropInactive(this.space, rec.config);
      const alt: Winner = {
        candidate: rec.candidate,
        config,
        changes: configChanges(base, config),
        reverted: [],
        untested: [],
        outcome: rec.outcome!,
        level: rec.level,
        rank,
      };
      const tried = await judge(alt);
      if (tried.confirmation?.winnerFeasible === true) {
        // Missed on the tail check's seeds alone: say so, it is what a user of the first would have met.
        const best = result.confirmation;
        const collapsed =
          result.first?.winnerFeasible === true ? ` (it met them on the first ${this.fresh.length} and not on all ${best.seeds.length}: its worst seed, ${worstSeed(best.winner)})` : '';
        tried.confirmation.reasons.unshift(
          `the search's best candidate missed an SLO on the fresh seeds${collapsed}; its runner-up (rank ${rank} of the search) meets them and stands in for it`,
        );
        return tried;
      }
    }
    return result;
  }
}

/** A confirmed winner: its fresh-seed record, the current configuration's, and the verdict. */
interface Confirmed {
  winner: Winner;
  current: EvaluationRecord;
  challenger: EvaluationRecord;
  confirmation: Confirmation | null;
  /** The verdict on the confirmation's first seeds, when the tail check's seeds were added to it. */
  first?: Confirmation;
}

/** Successful evaluations at the highest rung reached, best first (earlier proposals win ties). */
function rankedAtTop(records: readonly EvaluationRecord[], obj: Objective): EvaluationRecord[] {
  const best = bestOf(records, obj);
  if (best === null) return [];
  return records
    .filter((r) => r.status === 'ok' && r.level === best.level)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => compareOutcomes(obj, a.r.outcome, b.r.outcome) || a.i - b.i)
    .map(({ r }) => r);
}

/**
 * Why the recommended configuration misses an SLO on the fresh seeds, or
 * null when it meets them: the SLOs neither configuration met, the closer of
 * the two, the roles saturated in it and the scenario's faults.
 */
function shortfallOf(obj: Objective, c: Confirmation, adopted: boolean, scenario: Scenario): Shortfall | null {
  // Judged as the confirmation judged them: beyond the fresh seeds' noise.
  const recommended = adopted ? c.winnerShown : c.currentShown;
  const missed = missedSlos(obj, recommended);
  const missedClasses = missedClassSlos(obj, recommended);
  if (missed.length === 0 && missedClasses.length === 0) return null;
  const other = missedSlos(obj, adopted ? c.currentShown : c.winnerShown);
  const otherClasses = missedClassSlos(obj, adopted ? c.currentShown : c.winnerShown);
  const unmet = missed.filter((m) => other.includes(m) || c.sameConfig);
  const unmetClasses = missedClasses.filter((m) => otherClasses.includes(m) || c.sameConfig);
  const closest = adopted || (!c.sameConfig && violationOnMean(obj, c.winner) < violationOnMean(obj, c.current)) ? 'winner' : 'current';
  const o = closest === 'winner' ? c.winner : c.current;
  const busy = Object.entries(o.utilization)
    .map(([role, utilization]) => ({ role, utilization }))
    .sort((a, b) => b.utilization - a.utilization);
  const saturated = busy.filter((b) => b.utilization >= SATURATED);
  return {
    // What neither configuration met, or else what the recommended one misses.
    ...(unmet.length + unmetClasses.length > 0 ? { unmet } : { unmet: missed }),
    ...(missedClasses.length > 0 ? { unmetClasses: unmet.length + unmetClasses.length > 0 ? unmetClasses : missedClasses } : {}),
    closest,
    saturated: saturated.length > 0 ? saturated : busy.slice(0, 1),
    faults: scenario.faults.map(faultNoteOf),
  };
}
