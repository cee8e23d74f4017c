import type { MeshConfig, Scenario } from '../scenario/types.js';

/**
 * How many agents and slots each role is laid out with for a configuration
 * (SPEC §5 `resources`, `autoscale`). A role's agents are its replicas; an
 * autoscaled role is laid out for its `max` replicas, of which `initial` run
 * at the start and the autoscaler decides the rest at run time. The layout
 * is part of the compiled model (agents, topology, slots), so a study
 * compiles once per layout, not per configuration.
 */
export interface RoleLayout {
  /** Agents laid out. */
  count: number;
  /** Worker slots per agent. */
  workers: number;
  /** Replicas running at time 0 (= count unless autoscaled). */
  initial: number;
  autoscaled: boolean;
}

export function layoutOf(scenario: Scenario, config: MeshConfig): RoleLayout[] {
  return scenario.roles.map((r) => {
    const res = config.resources?.[r.name];
    const count = res?.count ?? r.count;
    const workers = res?.workers ?? r.workers;
    const auto = config.autoscale?.[r.name];
    if (auto === undefined) return { count, workers, initial: count, autoscaled: false };
    const min = auto.min ?? 1;
    return { count: auto.max, workers, initial: Math.min(auto.max, Math.max(min, count)), autoscaled: true };
  });
}

/** A short key of a layout: equal keys, equal compiled models. */
export function layoutKey(layout: readonly RoleLayout[]): string {
  return layout.map((l) => `${l.count}x${l.workers}${l.autoscaled ? `@${l.initial}` : ''}`).join(',');
}

/** True when the layout keeps every role as the scenario declares it. */
export function isDeclared(scenario: Scenario, layout: readonly RoleLayout[]): boolean {
  return layout.every((l, i) => !l.autoscaled && l.count === scenario.roles[i]!.count && l.workers === scenario.roles[i]!.workers);
}

/** The scenario with each role's agents and slots as laid out. */
export function applyLayout(scenario: Scenario, layout: readonly RoleLayout[]): Scenario {
  if (isDeclared(scenario, layout)) return scenario;
  return { ...scenario, roles: scenario.roles.map((r, i) => ({ ...r, count: layout[i]!.count, workers: layout[i]!.workers })) };
}
