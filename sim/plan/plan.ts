/**
 * `plan`: how much load before the SLOs break (or how few replicas of a role
 * keep them), as an interval with a stated confidence, the bottleneck that
 * breaks them and the levers that fix it, each checked by simulation. A plain
 * async function returning plain data; its runs go through a study `Runner`
 * (worker threads, this thread, a queue), in this thread when none is given.
 */
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { MemoryRunner } from '../runner/memory-runner.js';
import type { Runner } from '../runner/runner.js';
import { LimitedRunner } from '../runner/limited-runner.js';
import type { RunLimits } from '../model/control.js';
import { fmtMs, fmtPct, sig } from '../report/units.js';
import { planAutoscaler } from './autoscale-plan.js';
import { bottleneckOf } from './bottleneck.js';
import { againstLower, againstUpper, DEFAULT_EFFORT, looksOf, type Effort } from './decision.js';
import { errorsNote, leversFor, recommend, tryLevers } from './levers.js';
import { offeredRate } from '../runner/load.js';
import { endsOf, halfWidth, MAX_LOAD_FACTOR, nextLoad, pointEstimate } from './load-search.js';
import { Prober, type ProbeRecord } from './prober.js';
import { countEnds, MAX_COUNT_FACTOR, nextCount } from './role-search.js';
import { PlanRunError, PlanRuns } from './runs.js';
import type { Bottleneck, ClassSlo, LeverResult, PlanResult, PlanSlo, Probe, SloRef } from './types.js';

export interface PlanOptions {
  /** The configuration planned for (already merged over the scenario's); default the scenario's. */
  config?: MeshConfig;
  /** Seed of the first replication (replication r runs on seed + r); default the scenario's. */
  seed?: number;
  /** The SLOs; default the scenario's `slo`. */
  slo?: Partial<PlanSlo>;
  /**
   * Find the fewest replicas of this role instead of the load limit — or, when
   * the configuration autoscales it, the target, min and max that keep the
   * SLOs at the lowest replica-hours.
   */
  role?: string;
  /** With `role`: plan at this multiple of the scenario's load (default 1). */
  load?: number;
  /** Precision, replications and budget; DEFAULT_EFFORT for what is not given. */
  effort?: Partial<Effort>;
  /** First look's replications (the first plan format's name for `effort.initialReplications`). */
  replications?: number;
  /** Try levers against the bottleneck (load plans; default true). */
  levers?: boolean;
  /** Where the runs go; default this thread (`MemoryRunner`). */
  runner?: Runner;
  /**
   * Limits of each run's work (SPEC §6.1); the defaults for what is not
   * given. A probe whose runs are beyond them is not run: the search stops
   * there, with a note naming the cause.
   */
  limits?: Partial<RunLimits>;
  /** The scenario's file as the runner's workers load it; default `scenario.file`. */
  scenarioPath?: string;
  /** Progress: called after each probe is decided (or its looks run out). */
  onProbe?: (p: Probe, phase: 'search' | 'lever', label: string | null) => void;
}

/** Options that cannot be planned for (a programming error in the caller; the CLI checks its input first). */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
}

export async function plan(scenario: Scenario, options: PlanOptions = {}): Promise<PlanResult> {
  const slo = planSloOf(scenario.slo, options.slo);
  if (!hasSlo(slo)) throw new PlanInputError('no SLO to plan for: set slo.p99, slo.deliveryRatio or slo.classes');
  const effort = effortOf(options);
  const runner = new LimitedRunner(options.runner ?? new MemoryRunner(scenario), scenario, options.limits ?? {});
  const runs = new PlanRuns(runner, options.scenarioPath ?? scenario.file, slowMsOf(slo), effort.budgetRuns);
  const prober = new Prober(runs, slo, effort, options.seed ?? scenario.seed);
  const config = options.config ?? scenario.config;
  // The plan reads replica counts as the configuration sets them (config.resources); its runs still get the configuration.
  const ctx: Ctx = { scenario: withResources(scenario, config), config, slo, effort, prober, options, notes: [] };
  if (options.role !== undefined) {
    if (!scenario.roles.some((r) => r.name === options.role)) throw new PlanInputError(`unknown role '${options.role}'`);
    if (config.autoscale?.[options.role] !== undefined) return planAutoscale(ctx, options.role, options.load ?? 1);
    return planRoleCount(ctx, options.role, options.load ?? 1);
  }
  return planLoadLimit(ctx);
}

/**
 * The SLOs a plan holds: those given, the scenario's for the rest — its
 * class SLOs (`slo.classes`) too, unless `classes` is given.
 */
export function planSloOf(scenarioSlo: Scenario['slo'], given: Partial<PlanSlo> = {}): PlanSlo {
  const classes: Record<string, ClassSlo> = {};
  for (const [name, c] of Object.entries(scenarioSlo.classes ?? {})) classes[name] = { p99Ms: c.p99, deliveryRatio: c.deliveryRatio };
  const chosen = given.classes ?? classes;
  return {
    p99Ms: given.p99Ms !== undefined ? given.p99Ms : scenarioSlo.p99,
    deliveryRatio: given.deliveryRatio !== undefined ? given.deliveryRatio : scenarioSlo.deliveryRatio,
    ...(Object.keys(chosen).length > 0 ? { classes: chosen } : {}),
  };
}

/** True when the SLOs bound anything: a global bound or a class's. */
export function hasSlo(slo: PlanSlo): boolean {
  return slo.p99Ms !== null || slo.deliveryRatio !== null || Object.values(slo.classes ?? {}).some((c) => c.p99Ms !== null || c.deliveryRatio !== null);
}

/** A slow message for the bottleneck's attribution: over the p99 SLO, or over the tightest class p99 bound when only classes have one. */
function slowMsOf(slo: PlanSlo): number | null {
  if (slo.p99Ms !== null) return slo.p99Ms;
  const bounds = Object.values(slo.classes ?? {}).flatMap((c) => (c.p99Ms !== null ? [c.p99Ms] : []));
  return bounds.length > 0 ? Math.min(...bounds) : null;
}

/** The SLOs a probe shows broken, global first, then by class. */
export function brokenAt(p: Probe): SloRef[] {
  const out: SloRef[] = p.breaks.map((s) => ({ class: null, slo: s }));
  for (const [name, c] of Object.entries(p.classes ?? {})) for (const s of c.breaks) out.push({ class: name, slo: s });
  return out;
}

/**
 * A note when a class SLO binds: which class and bound, at which point, and
 * whether the global SLOs would have allowed more.
 */
function bindingNote(binding: readonly SloRef[], at: Probe, slo: PlanSlo, where: string): string | null {
  const classes = binding.filter((b) => b.class !== null);
  if (classes.length === 0) return null;
  const what = classes.map((b) => {
    const bound = slo.classes?.[b.class!];
    const c = at.classes?.[b.class!];
    return b.slo === 'p99'
      ? `class ${b.class}'s p99 SLO (≤ ${fmtMs(bound?.p99Ms ?? NaN)}; ${c !== undefined && Number.isFinite(c.p99Ms) ? fmtMs(c.p99Ms) : 'nothing delivered'} there)`
      : `class ${b.class}'s delivery SLO (≥ ${fmtPct(bound?.deliveryRatio ?? NaN)}; ${fmtPct(c?.deliveryRatio ?? NaN)} there)`;
  });
  const globalHolds = binding.every((b) => b.class !== null) && (slo.p99Ms !== null || slo.deliveryRatio !== null);
  return `${what.join(' and ')} ${what.length === 1 ? 'binds' : 'bind'}: shown broken at ${where}${globalHolds ? ', where the global SLOs are not' : ''}`;
}

/**
 * A probe, or 'refused' when its runs are beyond the run limits: a search
 * that reaches a load or a count too large to simulate stops there with a
 * note naming the cause, and keeps what it found below it.
 */
async function unlessRefused(probe: Promise<ProbeRecord | null>, what: string, notes: string[]): Promise<ProbeRecord | null | 'refused'> {
  try {
    return await probe;
  } catch (err) {
    if (!(err instanceof PlanRunError) || !err.refused) throw err;
    notes.push(`${what} is beyond the run limits, so the search stopped there (${err.cause})`);
    return 'refused';
  }
}

/** The load limit (the first plan format's entry; now asynchronous). */
export function planLoad(scenario: Scenario, options: PlanOptions = {}): Promise<PlanResult> {
  const { role: _role, ...rest } = options;
  return plan(scenario, rest);
}

/** The fewest replicas of `role` (the first plan format's entry; now asynchronous). */
export function planRole(scenario: Scenario, role: string, options: PlanOptions = {}): Promise<PlanResult> {
  return plan(scenario, { ...options, role });
}

/** The scenario with each role's replicas and slots as `config.resources` sets them. */
function withResources(scenario: Scenario, config: MeshConfig): Scenario {
  const res = config.resources;
  if (res === undefined) return scenario;
  return { ...scenario, roles: scenario.roles.map((r) => ({ ...r, count: res[r.name]?.count ?? r.count, workers: res[r.name]?.workers ?? r.workers })) };
}

export function effortOf(options: Pick<PlanOptions, 'effort' | 'replications'>): Effort {
  const e: Effort = { ...DEFAULT_EFFORT, ...options.effort };
  if (options.replications !== undefined && options.effort?.initialReplications === undefined) e.initialReplications = options.replications;
  if (e.maxReplications < e.initialReplications) e.maxReplications = e.initialReplications;
  const bad = (field: string, want: string): never => {
    throw new PlanInputError(`effort.${field}: expected ${want}`);
  };
  if (!(Number.isInteger(e.initialReplications) && e.initialReplications >= 2)) bad('initialReplications', 'an integer ≥ 2 (an interval needs two seeds)');
  if (!Number.isInteger(e.maxReplications)) bad('maxReplications', 'an integer');
  if (!(e.precision > 0 && e.precision < 1)) bad('precision', 'a fraction in (0, 1)');
  if (!(e.confidence > 0.5 && e.confidence < 1)) bad('confidence', 'a level in (0.5, 1)');
  if (!(Number.isInteger(e.budgetRuns) && e.budgetRuns >= e.initialReplications)) bad('budgetRuns', `an integer ≥ the first look's ${e.initialReplications} replications`);
  return e;
}

interface Ctx {
  scenario: Scenario;
  config: MeshConfig;
  slo: PlanSlo;
  effort: Effort;
  prober: Prober;
  options: PlanOptions;
  notes: string[];
}

async function planLoadLimit(ctx: Ctx): Promise<PlanResult> {
  const { prober, effort, notes } = ctx;
  const records: ProbeRecord[] = [];
  let stop: string | null = null;
  for (;;) {
    const next = nextLoad(records, effort.precision);
    if ('stop' in next) {
      stop = next.stop;
      break;
    }
    const rec = await unlessRefused(prober.probe(next.x, { load: next.x, config: ctx.config, roles: {} }), `×${sig(next.x)} today's load`, notes);
    if (rec === 'refused') break;
    if (rec === null) {
      notes.push(`the budget of ${effort.budgetRuns} runs ran out before the interval was as narrow as asked`);
      break;
    }
    records.push(rec);
    ctx.options.onProbe?.(rec.probe, 'search', null);
  }
  const ends = endsOf(records);
  noteStop(stop, ends, records, ctx);
  for (const r of records) {
    if (ends.high !== null && r.probe.verdict === 'meets' && r.probe.x > ends.high) {
      notes.push(`×${sig(r.probe.x)} meets the SLOs though ×${sig(ends.high)} breaks them: p99 is not monotone in load here (faults, timeouts and retries can do that); the interval ends at the lowest load shown to break`);
    }
  }
  const answer = pointEstimate(records, ctx.slo, ends);
  const offered = offeredRate(ctx.scenario);
  const breakAt = ends.high === null ? null : records.find((r) => r.probe.x === ends.high)!.probe;
  const binding = breakAt === null ? [] : brokenAt(breakAt);
  const bound = breakAt === null ? null : bindingNote(binding, breakAt, ctx.slo, `×${sig(breakAt.x)}`);
  if (bound !== null) notes.push(bound);

  // The bottleneck and the levers, where the SLO breaks (at today's load when it already does).
  let bottleneck: Bottleneck | null = null;
  let leverLoad: number | null = null;
  let levers: LeverResult[] = [];
  let advice: ReturnType<typeof recommend> = { recommendation: null, recommendationText: null };
  if (ends.high !== null) {
    const at = records.find((r) => r.probe.x === (ends.high! >= 1 ? ends.high : 1)) ?? records.find((r) => r.probe.x === ends.high)!;
    // The attribution explains slow messages: where only delivery SLOs break,
    // the few slow messages there are not why, and naming a replica (or a
    // role's capacity) for them would send the reader the wrong way.
    const broken = brokenAt(at.probe);
    if (broken.length > 0 && broken.every((b) => b.slo === 'deliveryRatio')) {
      notes.push(`at ×${sig(at.probe.x)} only delivery SLOs break (${fmtPct(at.probe.deliveryRatio)} delivered): messages are lost, not slow, so no replica is named as the bottleneck (losses are not attributed)`);
    } else {
      bottleneck = bottleneckOf(at.probe.x, at.runs.map((r) => r.attribution));
    }
    if (ctx.options.levers !== false && at.probe.verdict !== 'meets') {
      leverLoad = at.probe.x;
      const plans = leversFor(ctx.scenario, ctx.config, ctx.slo, bottleneck, at);
      levers = await tryLevers(prober, plans, leverLoad, ctx.config, notes, (p, label) => ctx.options.onProbe?.(p, 'lever', label));
      advice = recommend(levers, at, leverLoad);
    }
  }
  return {
    kind: 'load',
    role: null,
    answer: answer === null ? null : Number(answer.toPrecision(4)),
    interval: [ends.low, ends.high],
    offeredPerSec: answer !== null && offered > 0 ? offered * answer : null,
    precision: effort.precision,
    reached: ends.low !== null && ends.high !== null && halfWidth(ends.low, ends.high) <= effort.precision,
    confidence: effort.confidence,
    judgedOn: 'pooled',
    runs: prober.runs.spent,
    budget: effort.budgetRuns,
    probes: records.map((r) => r.probe).sort((a, b) => a.x - b.x),
    bottleneck,
    leverLoad,
    levers,
    ...advice,
    notes,
    binding,
  };
}

function noteStop(stop: string | null, ends: { low: number | null; high: number | null }, records: readonly ProbeRecord[], ctx: Ctx): void {
  const maxR = looksOf(ctx.effort).at(-1)!;
  if (stop === 'never-breaks') ctx.notes.push(`no load up to ×${MAX_LOAD_FACTOR} is shown to break the SLOs`);
  if (stop === 'never-meets') {
    ctx.notes.push(`no load down to ×1/${MAX_LOAD_FACTOR} is shown to meet the SLOs`);
    const errors = errorsNote(ctx.scenario, ctx.config, ctx.slo);
    if (errors !== null) ctx.notes.push(errors);
  }
  if (stop === 'undecided' && ends.low !== null && ends.high !== null) {
    const undecided = records
      .filter((r) => r.probe.verdict === 'undecided' && r.probe.x > ends.low! && r.probe.x < ends.high!)
      .sort((a, b) => a.probe.x - b.probe.x);
    const u = undecided.map((r) => `×${sig(r.probe.x)}`);
    const within = [...new Set(undecided.flatMap((r) => withinNoise(r.probe, ctx.slo)))];
    ctx.notes.push(
      `${u.join(', ')} stayed undecided after ${maxR} replications (${within.length > 0 ? within.join('; ') : 'within noise of the SLOs'}): more replications per probe or longer runs would narrow the interval`,
    );
  }
}

/**
 * The SLOs whose decision interval lies across the bound at an undecided
 * probe, as the verdict judges it (decision.ts `againstUpper`/`againstLower`):
 * what kept it undecided. "p99 within noise of 150 ms", "delivery within noise
 * of 99.900%", and a class's the same way.
 */
export function withinNoise(probe: Probe, slo: PlanSlo): string[] {
  const out: string[] = [];
  const each = (who: string, figures: { p99Ci: [number, number] | null; deliveryCi: [number, number] | null }, bounds: ClassSlo): void => {
    if (bounds.p99Ms !== null && figures.p99Ci !== null && againstUpper(figures.p99Ci, bounds.p99Ms) === 'open') out.push(`${who}p99 within noise of ${fmtMs(bounds.p99Ms)}`);
    if (bounds.deliveryRatio !== null && figures.deliveryCi !== null && againstLower(figures.deliveryCi, bounds.deliveryRatio) === 'open') {
      out.push(`${who}delivery within noise of ${fmtPct(bounds.deliveryRatio)}`);
    }
  };
  each('', probe, slo);
  for (const [cls, bounds] of Object.entries(slo.classes ?? {})) {
    const c = probe.classes?.[cls];
    if (c !== undefined) each(`${cls} `, c, bounds);
  }
  return out;
}

async function planRoleCount(ctx: Ctx, role: string, load: number): Promise<PlanResult> {
  const { prober, notes } = ctx;
  const current = ctx.scenario.roles.find((r) => r.name === role)!.count;
  const records: ProbeRecord[] = [];
  for (;;) {
    const next = nextCount(records, current);
    if ('stop' in next) {
      if (next.stop === 'never-meets') notes.push(`no count of ${role} up to ${MAX_COUNT_FACTOR} × today's is shown to meet the SLOs`);
      if (next.stop === 'undecided') notes.push(`some counts of ${role} stayed undecided: the answer is the fewest shown to meet`);
      break;
    }
    const rec = await unlessRefused(prober.probe(next.n, { load, config: ctx.config, roles: { [role]: next.n } }), `${next.n} replicas of ${role}`, notes);
    if (rec === 'refused') break;
    if (rec === null) {
      notes.push(`the budget of ${ctx.effort.budgetRuns} runs ran out`);
      break;
    }
    records.push(rec);
    ctx.options.onProbe?.(rec.probe, 'search', null);
  }
  const { low, high } = countEnds(records);
  const breakAt = records.find((r) => r.probe.x === low && r.probe.verdict === 'breaks')?.probe ?? null;
  const binding = breakAt === null ? [] : brokenAt(breakAt);
  const bound = breakAt === null ? null : bindingNote(binding, breakAt, ctx.slo, `${low} replicas of ${role}`);
  if (bound !== null) notes.push(bound);
  return {
    kind: 'role',
    role,
    answer: high,
    interval: [high === null ? null : low + 1, high],
    offeredPerSec: null,
    precision: ctx.effort.precision,
    reached: high !== null && low + 1 === high,
    confidence: ctx.effort.confidence,
    judgedOn: 'pooled',
    runs: prober.runs.spent,
    budget: ctx.effort.budgetRuns,
    probes: records.map((r) => r.probe).sort((a, b) => a.x - b.x),
    bottleneck: null,
    leverLoad: null,
    levers: [],
    recommendation: null,
    recommendationText: null,
    notes,
    binding,
  };
}

async function planAutoscale(ctx: Ctx, role: string, load: number): Promise<PlanResult> {
  const { plan: found, probes } = await planAutoscaler({
    scenario: ctx.scenario,
    config: ctx.config,
    role,
    load,
    prober: ctx.prober,
    precision: ctx.effort.precision,
    notes: ctx.notes,
    onProbe: (p) => ctx.options.onProbe?.(p, 'search', null),
  });
  const [low, high] = found.interval;
  return {
    kind: 'autoscale',
    role,
    answer: found.recommended?.autoscale.target ?? null,
    interval: found.interval,
    offeredPerSec: null,
    precision: ctx.effort.precision,
    reached: low !== null && high !== null && halfWidth(low, high) <= ctx.effort.precision,
    confidence: ctx.effort.confidence,
    judgedOn: 'pooled',
    runs: ctx.prober.runs.spent,
    budget: ctx.effort.budgetRuns,
    probes,
    bottleneck: null,
    leverLoad: null,
    levers: [],
    recommendation: null,
    recommendationText: null,
    notes: ctx.notes,
    binding: [],
    autoscale: found,
  };
}
