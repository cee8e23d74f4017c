/**
 * One probed point, sequentially: the first look's seeds, then more seeds
 * (doubling) while the verdict is undecided, until it is decided, the looks
 * run out or the plan's budget does. Replication r runs on seed + r at every
 * point (common random numbers), so neighbouring loads see the same traffic
 * and the curve is smooth in the load, not in the noise.
 */
import { judge, lookAlpha, looksOf, type Effort } from './decision.js';
import { probeStats, type ProbeStats } from './probe-stats.js';
import type { PlanPoint, PlanRun, PlanRuns } from './runs.js';
import type { ClassProbe, PlanSlo, Probe } from './types.js';

export interface ProbeRecord {
  probe: Probe;
  stats: ProbeStats;
  runs: PlanRun[];
}

export class Prober {
  constructor(
    readonly runs: PlanRuns,
    readonly slo: PlanSlo,
    readonly effort: Effort,
    readonly seed: number,
  ) {}

  /** The probe at `x` (a load multiplier or a replica count); null when the budget cannot pay its first look. */
  async probe(x: number, point: PlanPoint): Promise<ProbeRecord | null> {
    const alpha = lookAlpha(this.effort);
    const runs: PlanRun[] = [];
    let record: ProbeRecord | null = null;
    for (const size of looksOf(this.effort)) {
      const more = size - runs.length;
      if (more > this.runs.left) break;
      const seeds = Array.from({ length: more }, (_, i) => this.seed + runs.length + i);
      runs.push(...(await this.runs.run(point, seeds)));
      const stats = probeStats(runs);
      const j = judge(stats, this.slo, alpha);
      record = { probe: probeOf(x, stats, j), stats, runs: runs.slice() };
      if (j.verdict !== 'undecided') break;
    }
    return record;
  }
}

function probeOf(x: number, s: ProbeStats, j: ReturnType<typeof judge>): Probe {
  const [role, utilization] = Object.entries(s.utilization).reduce((a, b) => (b[1] > a[1] ? b : a), ['', -1]);
  const classes: Record<string, ClassProbe> = {};
  for (const [name, cj] of Object.entries(j.classes)) {
    const c = s.classes?.[name];
    classes[name] = {
      p99Ms: c?.pooledP99 ?? 0,
      p99Ci: cj.p99Ci,
      deliveryRatio: c?.pooledDelivery ?? 1,
      deliveryCi: cj.deliveryCi,
      breaks: cj.breaks,
    };
  }
  return {
    x,
    p99Ms: s.pooledP99,
    p99Ci: j.p99Ci,
    p99MeanMs: s.meanP99,
    deliveryRatio: s.pooledDelivery,
    deliveryCi: j.deliveryCi,
    utilization: s.utilization,
    bottleneck: { role, utilization },
    verdict: j.verdict,
    breaks: j.breaks,
    ...(Object.keys(classes).length > 0 ? { classes } : {}),
    meets: j.verdict === 'meets',
    level: j.level,
    replications: s.replications,
  };
}
