/**
 * The autoscaler dimensions of a search space: for each role the current
 * configuration autoscales (`config.autoscale.<role>`), the settings that
 * decide its replica-hours and its misses —
 *
 * - `target`: a utilisation from 0.3 to 0.9 (linear: below 0.3 a replica
 *   idles most of the time, above 0.9 a burst has no room while a replica
 *   starts), or for metric `queue` a queue length within a factor of 8 of the
 *   current one on a log scale (the range `plan --role` searches);
 * - `min`, whole, on a log scale: within the role's `scale.count` bounds,
 *   else from 1 to the plan's search max (the current max doubled, at least
 *   +4: plan/autoscale-plan.ts `searchMaxOf`);
 * - `max`, whole: the same bounds, searched as `min` plus spare replicas
 *   (below) when both are searched, and within [current min, bound] when
 *   `min` is not;
 * - `downWindow`, on a log scale from one evaluation period (a window no
 *   longer than the period keeps only the current recommendation, exactly
 *   as 0 does) to 10 minutes.
 *
 * Every range is widened to hold the current value, so that the current
 * configuration encodes where it is; the base writes each searched setting
 * out at its value (defaults included).
 *
 * Why `max` as `min` plus spare replicas: searched as two free numbers, a
 * third of the cube would hold min > max, and repairing it maps that whole
 * region onto max = min, where a strategy sees one autoscaler under many
 * points and a one-knob move can be a no-op. As a headroom every point is a
 * valid autoscaler (min ≤ max by construction), a move of `min` keeps the
 * room the autoscaler has to follow a peak, and the configuration still
 * names plain `min` and `max`. Only the corner where min + spare passes the
 * bound is clipped to it.
 *
 * The other settings (period, tolerance, windows up, provisioning, rates)
 * stay as configured: provisioning is the platform's, not a choice, and the
 * HPA's defaults for the rest are what practitioners keep.
 */
import { searchMaxOf, targetRange } from '../plan/index.js';
import { resolveAutoscale } from '../policies/autoscale/index.js';
import type { MeshConfig, Scenario } from '../scenario/types.js';
import { cloneConfig } from './config-paths.js';
import type { AutoscalePath, NumericDim } from './space-table.js';

/** Utilisation targets searched (widened to hold the current target). */
export const UTILIZATION_TARGETS: readonly [number, number] = [0.3, 0.9];
/** Longest scale-down window searched (widened to hold the current window), ms. */
export const MAX_DOWN_WINDOW_MS = 600_000;
/** The configuration schema's bound on a queue target (scenario/config.ts). */
const MAX_QUEUE_TARGET = 1e6;

export const AUTOSCALE_KEYS = ['target', 'min', 'max', 'downWindow'] as const;

export interface AutoscaleSpace {
  /** Every path that can be searched, before `only` and `exclude`. */
  paths: AutoscalePath[];
  /** The dimensions of the chosen paths, in role order and `AUTOSCALE_KEYS` order within a role. */
  dims: NumericDim[];
  /** `config` with each chosen setting written out at its current value, so that it encodes where it is. */
  base: MeshConfig;
}

/** The fewest replicas the scenario's faults need laid out (a crash of 3 replicas needs 3). */
function replicasNeeded(sc: Scenario, role: string): number {
  let need = 1;
  for (const f of sc.faults) {
    if ((f.kind !== 'crash' && f.kind !== 'slow') || f.target !== role) continue;
    if (f.count !== null) need = Math.max(need, f.count);
    if (f.zone !== null) need = Math.max(need, f.zones);
  }
  return need;
}

export function autoscaleSpace(sc: Scenario, config: MeshConfig, chosen: (path: string) => boolean): AutoscaleSpace {
  const base = cloneConfig(config);
  const paths: AutoscalePath[] = [];
  const dims: NumericDim[] = [];
  for (const [role, a] of Object.entries(config.autoscale ?? {})) {
    // A dotted role name cannot be addressed by a dotted path.
    if (role.includes('.')) continue;
    const s = resolveAutoscale(a);
    const path = (key: (typeof AUTOSCALE_KEYS)[number]): AutoscalePath => `autoscale.${role}.${key}`;
    paths.push(...AUTOSCALE_KEYS.map(path));
    const written = base.autoscale![role]!;
    const num = (key: (typeof AUTOSCALE_KEYS)[number], kind: 'int' | 'float', min: number, max: number, log: boolean): NumericDim => ({
      name: path(key),
      kind,
      path: path(key),
      min,
      max,
      log,
      when: null,
    });

    if (chosen(path('target'))) {
      const [lo, hi] = s.metric === 'utilization' ? UTILIZATION_TARGETS : targetRange(a, s.target);
      const log = s.metric === 'queue';
      dims.push(num('target', 'float', Math.min(lo, s.target), Math.min(log ? MAX_QUEUE_TARGET : 1, Math.max(hi, s.target)), log));
      written.target = s.target;
    }

    const bounds = sc.roles.find((r) => r.name === role)?.scale?.count ?? null;
    const top = searchMaxOf(sc, role, a);
    const bottom = Math.min(bounds?.[0] ?? 1, s.min);
    const minSearched = chosen(path('min'));
    const maxSearched = chosen(path('max'));
    if (minSearched) {
      // With max fixed, min may not pass it.
      dims.push(num('min', 'int', bottom, maxSearched ? top : s.max, true));
      written.min = s.min;
    }
    if (maxSearched) {
      const floor = replicasNeeded(sc, role);
      if (minSearched) {
        dims.push({ ...num('max', 'int', 0, top - bottom, false), headroom: { over: path('min'), floor, cap: top } });
      } else {
        dims.push(num('max', 'int', Math.min(s.max, Math.max(s.min, floor)), top, true));
      }
    }

    if (chosen(path('downWindow'))) {
      const shortest = Math.min(s.periodMs, s.downWindowMs > 0 ? s.downWindowMs : s.periodMs);
      dims.push(num('downWindow', 'float', shortest, Math.max(MAX_DOWN_WINDOW_MS, shortest, s.downWindowMs), true));
      written.downWindow = s.downWindowMs;
    }
  }
  return { paths, dims, base };
}
