import { InputError } from '../scenario/index.js';
import { planLoad, planRole, scaleLoad, type PlanResult, type PlanSlo, type Probe } from '../plan/index.js';
import { runScenario } from '../runner/index.js';
import type { RunLimits } from '../model/index.js';
import { fileLabel } from '../estimate/index.js';
import { resolveConfig, resolveScenario, type ConfigInput, type ScenarioInput } from './inputs.js';
import { checkReplications, checkSeed } from './options.js';

export interface PlanApiOptions {
  config?: ConfigInput;
  /** SLO bounds; default: the scenario's `slo` block. */
  slo?: Partial<PlanSlo>;
  /** Find the fewest replicas of this role instead of the largest load. */
  role?: string;
  /** With `role`: plan for this multiple of the scenario's load (default 1). */
  load?: number;
  /** Seeds per probed point (default 3). */
  replications?: number;
  seed?: number;
  limits?: Partial<RunLimits>;
  onProbe?: (p: Probe) => void;
}

export interface PlanOutput extends PlanResult {
  scenario: string;
  slo: PlanSlo;
}

/** A capacity plan (`meshtune plan`): the largest load, or the fewest replicas of a role, within the SLOs. */
export function plan(scenario: ScenarioInput, opts: PlanApiOptions = {}): PlanOutput {
  const sc = resolveScenario(scenario);
  const config = resolveConfig(sc, opts.config);
  const slo: PlanSlo = {
    p99Ms: opts.slo?.p99Ms !== undefined ? opts.slo.p99Ms : sc.slo.p99,
    deliveryRatio: opts.slo?.deliveryRatio !== undefined ? opts.slo.deliveryRatio : sc.slo.deliveryRatio,
  };
  if (slo.p99Ms === null && slo.deliveryRatio === null) {
    throw new InputError(fileLabel(sc), 'slo', 'no SLO to plan for; give slo.p99 and/or slo.deliveryRatio (--slo-p99, --slo-delivery)');
  }
  if (opts.role !== undefined && !sc.roles.some((r) => r.name === opts.role)) {
    throw new InputError('', 'role', `unknown role '${opts.role}'; roles are: ${sc.roles.map((r) => r.name).join(', ')}`);
  }
  const load = opts.load ?? 1;
  if (!(load > 0) || !Number.isFinite(load) || load > 1e6) throw new InputError('', 'load', `expected a load multiplier in (0, 1e6], got ${String(load)}`);
  const base = {
    config,
    seed: opts.seed === undefined ? sc.seed : checkSeed(opts.seed, 'seed'),
    replications: opts.replications === undefined ? 3 : checkReplications(opts.replications, 'replications'),
    slo,
    ...(opts.onProbe !== undefined ? { onProbe: opts.onProbe } : {}),
  };
  // The current configuration runs once first: a plan refuses what a simulation refuses.
  const start = opts.role === undefined || load === 1 ? sc : scaleLoad(sc, load);
  runScenario(start, { config, seed: base.seed, ...(opts.limits !== undefined ? { limits: opts.limits } : {}) });
  const result = opts.role !== undefined ? planRole(start, opts.role, base) : planLoad(sc, base);
  return { scenario: sc.name, slo, ...result };
}
