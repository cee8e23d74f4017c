import type { Metrics } from '../metrics/types.js';
import { runScenario } from '../runner/index.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { offeredRate, resizeRole, scaleLoad } from './load.js';

/** The service levels a plan must keep. */
export interface PlanSlo {
  p99Ms: number | null;
  deliveryRatio: number | null;
}

/** One probed point of a capacity search. */
export interface Probe {
  /** Load multiplier (load search) or replica count (role search). */
  x: number;
  p99Ms: number;
  p99Ci: [number, number] | null;
  deliveryRatio: number;
  /** Busiest role and its utilisation. */
  bottleneck: { role: string; utilization: number };
  meets: boolean;
}

export interface PlanResult {
  kind: 'load' | 'role';
  role: string | null;
  /** Largest load multiplier (load) or smallest replica count (role) meeting the SLOs; null when none was found. */
  answer: number | null;
  /** Offered messages per second at the answer (load search). */
  offeredPerSec: number | null;
  probes: Probe[];
}

export interface PlanOptions {
  config: MeshConfig;
  seed: number;
  replications: number;
  slo: PlanSlo;
  /** Called after each probe (progress). */
  onProbe?: (p: Probe) => void;
}

/** Bisection steps after the bracket is found: the answer is within 2^-6 ≈ 1.6% of the bracket. */
const BISECT_STEPS = 6;
/** Load search gives up above this multiplier. */
const MAX_LOAD_FACTOR = 64;

function probe(scenario: Scenario, x: number, opts: PlanOptions): Probe {
  const m: Metrics = runScenario(scenario, { config: opts.config, seed: opts.seed, replications: opts.replications });
  const [role, utilization] = Object.entries(m.utilization).reduce((a, b) => (b[1] > a[1] ? b : a), ['', -1]);
  const ci = m.ci95?.['latencyMs.p99'] ?? null;
  const meets =
    (opts.slo.p99Ms === null || m.latencyMs.p99 <= opts.slo.p99Ms) &&
    (opts.slo.deliveryRatio === null || m.deliveryRatio >= opts.slo.deliveryRatio);
  const p: Probe = { x, p99Ms: m.latencyMs.p99, p99Ci: ci, deliveryRatio: m.deliveryRatio, bottleneck: { role, utilization }, meets };
  opts.onProbe?.(p);
  return p;
}

/**
 * The largest load multiplier at which the mesh still meets its SLOs (mean
 * over replications): doubling from 1 until it fails (or halving until it
 * holds), then bisection. Every probe runs on the same seeds, so the curve is
 * smooth in the load, not in the noise.
 */
export function planLoad(scenario: Scenario, opts: PlanOptions): PlanResult {
  const probes: Probe[] = [];
  const at = (f: number): Probe => {
    const p = probe(scaleLoad(scenario, f), f, opts);
    probes.push(p);
    return p;
  };
  let lo: number;
  let hi: number;
  if (at(1).meets) {
    lo = 1;
    hi = 2;
    while (at(hi).meets) {
      lo = hi;
      hi *= 2;
      if (hi > MAX_LOAD_FACTOR) return done(lo);
    }
  } else {
    hi = 1;
    lo = 0.5;
    while (!at(lo).meets) {
      hi = lo;
      lo /= 2;
      if (lo < 1 / MAX_LOAD_FACTOR) return done(null);
    }
  }
  for (let i = 0; i < BISECT_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid).meets) lo = mid;
    else hi = mid;
  }
  return done(lo);

  function done(answer: number | null): PlanResult {
    probes.sort((a, b) => a.x - b.x);
    return {
      kind: 'load',
      role: null,
      answer,
      offeredPerSec: answer === null ? null : offeredRate(scenario) * answer,
      probes,
    };
  }
}

/**
 * The fewest replicas of `role` that meet the SLOs at the scenario's load:
 * bisection on the count between 1 and the first count found to hold
 * (doubling from the current count when it does not).
 */
export function planRole(scenario: Scenario, role: string, opts: PlanOptions): PlanResult {
  const current = scenario.roles.find((r) => r.name === role)!.count;
  const probes: Probe[] = [];
  const at = (n: number): Probe => {
    const seen = probes.find((p) => p.x === n);
    if (seen) return seen;
    const p = probe(resizeRole(scenario, role, n), n, opts);
    probes.push(p);
    return p;
  };
  let hi = current;
  while (!at(hi).meets) {
    if (hi >= current * 16) return { kind: 'role', role, answer: null, offeredPerSec: null, probes };
    hi *= 2;
  }
  let lo = 0; // lo never meets (0 replicas serve nothing)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (at(mid).meets) hi = mid;
    else lo = mid;
  }
  probes.sort((a, b) => a.x - b.x);
  return { kind: 'role', role, answer: hi, offeredPerSec: null, probes };
}
