import { parseDuration } from '../../scenario/index.js';
import { DEFAULT_EFFORT, hasSlo, planSloOf, type Effort, type PlanSlo, type Probe } from '../../plan/index.js';
import type { Scenario } from '../../scenario/types.js';
import { plan } from '../../api/plan.js';
import { resolveConfig, resolveScenario } from '../../api/inputs.js';
import { planText } from '../../report/plan-text.js';
import { fmtMs, fmtPct, sig } from '../../report/units.js';
import { defaultWorkers } from '../../runner/runner.js';
import { DEFAULT_PREFIX } from '../../queue/index.js';
import { UsageError } from '../errors.js';
import { asFlagErrors, intOption, limitOptions, seedOption, stringOption } from '../options.js';
import { note, print, printJson } from '../output.js';

export interface PlanFlags {
  config?: unknown;
  sloP99?: unknown;
  sloDelivery?: unknown;
  role?: unknown;
  load?: unknown;
  seed?: unknown;
  replications?: unknown;
  maxReplications?: unknown;
  precision?: unknown;
  budget?: unknown;
  workers?: unknown;
  queue?: unknown;
  levers?: boolean;
  json?: boolean;
  maxEvents?: unknown;
  maxAgents?: unknown;
  maxPending?: unknown;
}

/**
 * `meshtune plan <scenario>`: the largest load the mesh carries within its
 * SLOs as an interval with its confidence, the bottleneck and the levers
 * that fix it (or, with --role, the fewest replicas of a role that keep them).
 */
export async function planCommand(scenarioArg: string, flags: PlanFlags): Promise<void> {
  const scenario = asFlagErrors(() => resolveScenario(scenarioArg));
  const configFile = stringOption(flags.config, '--config');
  const slo = sloOf(scenarioArg, scenario.slo, flags);
  const role = stringOption(flags.role, '--role');
  let load = 1;
  if (flags.load !== undefined) {
    const text = stringOption(flags.load, '--load') ?? '';
    load = text.trim() === '' ? NaN : Number(text);
    if (!(load > 0) || !Number.isFinite(load) || load > 1e6) throw new UsageError(`--load: expected a load multiplier in (0, 1e6], got '${text}'`);
    if (role === undefined) throw new UsageError('--load: only with --role (the load search finds the multiplier itself)');
  }
  const effort = effortOf(flags);
  // An autoscaled role's plan probes targets of its autoscaler, not replica counts.
  const autoscaled = role !== undefined && asFlagErrors(() => resolveConfig(scenario, configFile)).autoscale?.[role] !== undefined;
  const workers = intOption(flags.workers, '--workers', defaultWorkers(), 1, 4096);
  // The flag wins over the environment; an empty value means no queue.
  const queue = stringOption(flags.queue, '--queue') ?? (process.env.MESHTUNE_QUEUE || undefined);
  const result = await asFlagErrors(() =>
    plan(scenario, {
      ...(configFile !== undefined ? { config: configFile } : {}),
      seed: seedOption(flags.seed, '--seed', scenario.seed),
      slo,
      effort,
      levers: flags.levers !== false,
      workers: Math.min(workers, defaultWorkers()),
      limits: limitOptions(flags),
      ...(queue !== undefined ? { queue, queuePrefix: process.env.MESHTUNE_QUEUE_PREFIX || DEFAULT_PREFIX } : {}),
      ...(role !== undefined ? { role, load } : {}),
      onProbe: (p, phase, label) => note(progressLine(p, phase, label, role, autoscaled)),
    }),
  );
  const { scenario: name, ...rest } = result;
  if (flags.json) printJson(result);
  else print(planText(name, rest, slo, load));
}

function progressLine(p: Probe, phase: 'search' | 'lever', label: string | null, role: string | undefined, autoscaled: boolean): string {
  const what = phase === 'lever' ? `lever ${label ?? ''} at ×${sig(p.x)}` : autoscaled ? `${role} autoscaler target ${sig(p.x)}` : role ? `${role} × ${p.x}` : `load × ${sig(p.x)}`;
  // A verdict a class decided says which class's bound (the global figures alone would not show it).
  const classBreaks = Object.entries(p.classes ?? {}).flatMap(([name, c]) => c.breaks.map((s) => `class ${name} ${s === 'p99' ? 'p99' : 'delivery'}`));
  return `probe ${what}: p99 ${Number.isFinite(p.p99Ms) ? fmtMs(p.p99Ms) : '∞'}, delivery ${fmtPct(p.deliveryRatio)}, ${p.replications.length} seeds — ${p.verdict}${classBreaks.length > 0 ? ` (${classBreaks.join(', ')})` : ''}`;
}

/** The SLOs from the flags over the scenario's; the scenario's class SLOs (`slo.classes`) are held too. */
function sloOf(scenarioArg: string, base: Scenario['slo'], flags: PlanFlags): PlanSlo {
  let p99Ms = base.p99;
  const sloP99 = stringOption(flags.sloP99, '--slo-p99');
  if (sloP99 !== undefined) {
    const d = parseDuration(/^\d+(\.\d+)?$/.test(sloP99) ? Number(sloP99) : sloP99);
    if (!d.ok) throw new UsageError(`--slo-p99: ${d.error}`);
    if (!(d.value > 0)) throw new UsageError(`--slo-p99: expected a latency bound more than 0 ms (like 300ms or 2s), got '${sloP99}'`);
    p99Ms = d.value;
  }
  let deliveryRatio = base.deliveryRatio;
  if (flags.sloDelivery !== undefined) {
    const v = Number(flags.sloDelivery);
    if (!(v > 0 && v <= 1)) throw new UsageError(`--slo-delivery: expected a ratio in (0, 1], got '${String(flags.sloDelivery)}'`);
    deliveryRatio = v;
  }
  const slo = planSloOf(base, { p99Ms, deliveryRatio });
  if (!hasSlo(slo)) {
    throw new UsageError(`${scenarioArg}: no SLO to plan for; give --slo-p99 (and/or --slo-delivery) or an slo block in the scenario`);
  }
  return slo;
}

function effortOf(flags: PlanFlags): Effort {
  const initialReplications = intOption(flags.replications, '--replications', DEFAULT_EFFORT.initialReplications, 2, 1000);
  const maxReplications = intOption(flags.maxReplications, '--max-replications', Math.max(DEFAULT_EFFORT.maxReplications, initialReplications), initialReplications, 10_000);
  let precision = DEFAULT_EFFORT.precision;
  const given = stringOption(flags.precision, '--precision');
  if (given !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(given.trim());
    precision = m ? Number(m[1]) / (m[2] === '%' ? 100 : 1) : NaN;
    if (!(precision > 0 && precision < 1)) throw new UsageError(`--precision: expected a relative half-width such as 5% or 0.05 (between 0 and 1), got '${given}'`);
  }
  const budgetRuns = intOption(flags.budget, '--budget', DEFAULT_EFFORT.budgetRuns, initialReplications, 1_000_000);
  return { ...DEFAULT_EFFORT, initialReplications, maxReplications, precision, budgetRuns };
}
