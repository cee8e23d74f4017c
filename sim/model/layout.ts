import type { MeshConfig, Scenario, TopologySpec } from '../scenario/types.js';

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

/**
 * The scenario with the configuration's `topology` settings (SPEC §5) in
 * place of its own: a tree's fanout, an overlay's degree, a scale-free m, or
 * a flat shape — the first agent linked to every other, a tree of one level.
 * Without them the scenario itself, so a configuration that names no
 * topology builds the graph it always built.
 */
export function applyTopology(scenario: Scenario, config: MeshConfig): Scenario {
  const t = config.topology;
  if (t === undefined || Object.keys(t).length === 0) return scenario;
  const agents = scenario.roles.reduce((s, r) => s + r.count, 0);
  const topology: TopologySpec = {
    ...scenario.topology,
    fanout: t.shape === 'flat' ? Math.max(1, agents - 1) : (t.fanout ?? scenario.topology.fanout),
    degree: t.degree ?? scenario.topology.degree,
    m: t.m ?? scenario.topology.m,
  };
  return { ...scenario, topology };
}

/** A short key of the graph a configuration asks for ('' = the scenario's). */
export function topologyKey(config: MeshConfig): string {
  const t = config.topology;
  if (t === undefined) return '';
  return (['shape', 'fanout', 'degree', 'm'] as const)
    .filter((k) => t[k] !== undefined)
    .map((k) => `${k}=${t[k]}`)
    .join(',');
}

/** The key of the compiled model a configuration needs: its layout, and its graph when it sets one. */
export function modelKey(scenario: Scenario, config: MeshConfig): string {
  const graph = topologyKey(config);
  const layout = layoutKey(layoutOf(scenario, config));
  return graph === '' ? layout : `${layout}|${graph}`;
}
