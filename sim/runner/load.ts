import type { Scenario, WorkloadSpec } from '../scenario/types.js';

/**
 * The scenario with every workload entry's load multiplied by `factor`:
 * rates (and a bursty entry's burst rate, a diurnal table's rates) scale, a
 * closed workload gets `factor` times the clients (rounded, at least one), a
 * trace is replayed `factor` times faster. Durations and windows stay.
 */
export function scaleLoad(scenario: Scenario, factor: number): Scenario {
  return { ...scenario, workload: scenario.workload.map((w) => scaleEntry(w, factor)) };
}

function scaleEntry(w: WorkloadSpec, f: number): WorkloadSpec {
  switch (w.pattern) {
    case 'poisson':
      return { ...w, rate: w.rate * f };
    case 'bursty':
      return { ...w, rate: w.rate * f, burstRate: w.burstRate * f };
    case 'diurnal':
      return { ...w, rate: w.rate * f, table: w.table.map((row) => ({ ...row, rate: row.rate * f })) };
    case 'closed':
      return { ...w, clients: Math.max(1, Math.round(w.clients * f)) };
    case 'trace':
      return { ...w, speedup: w.speedup * f };
  }
}

/** The scenario with role `role` resized to `count` replicas. */
export function resizeRole(scenario: Scenario, role: string, count: number): Scenario {
  return { ...scenario, roles: scenario.roles.map((r) => (r.name === role ? { ...r, count } : r)) };
}

/** Offered messages per second of the workload (closed and trace entries excluded: their rate is not declared). */
export function offeredRate(scenario: Scenario): number {
  let total = 0;
  for (const w of scenario.workload) {
    if (w.pattern === 'poisson') total += w.rate;
    else if (w.pattern === 'bursty') {
      // Stationary mean of the two-state MMPP.
      total += (w.rate * w.meanGap + w.burstRate * w.meanBurst) / (w.meanGap + w.meanBurst);
    } else if (w.pattern === 'diurnal') total += w.table.length > 0 ? meanTableRate(w.table, w.stop) : w.rate;
  }
  return total;
}

function meanTableRate(table: ReadonlyArray<{ at: number; rate: number }>, stopMs: number): number {
  let sum = 0;
  let span = 0;
  for (let i = 0; i < table.length; i++) {
    const from = table[i]!.at;
    const to = i + 1 < table.length ? table[i + 1]!.at : Math.max(from, stopMs);
    sum += table[i]!.rate * (to - from);
    span += to - from;
  }
  return span > 0 ? sum / span : (table[0]?.rate ?? 0);
}
