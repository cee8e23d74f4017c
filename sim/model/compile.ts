import { Sampler } from '../engine/distributions.js';
import type { DistSpec, MeshConfig, RoleSpec, Scenario, WorkloadSpec } from '../scenario/types.js';
import { buildTopology, PathFinder, type Topology } from '../topology/index.js';
import { entryClasses, workloadClasses } from '../scenario/classes.js';
import { compileFlow, type StageFlow } from './flow.js';
import { applyLayout, applyTopology, layoutOf, modelKey } from './layout.js';

/**
 * The parts of a model that depend on the scenario only — agents, topology,
 * samplers, workload routes — laid out once and shared by every run of the
 * scenario (a study compiles once per worker, then simulates many
 * configurations and seeds against it). Nothing here holds run state, except
 * the path finder's cache, which changes speed but never answers.
 */
export interface CompiledRole {
  index: number;
  name: string;
  first: number;
  /** Agents laid out (for an autoscaled role, its `max` replicas). */
  count: number;
  workers: number;
  /** Replicas running at time 0. */
  initial: number;
  /** Replicas come and go at run time (`config.autoscale`). */
  autoscaled: boolean;
  /** Service time sampler, or null when service is priced by tokens. */
  service: Sampler | null;
  /** `tokens` service: base + in·perTokenIn + out·perTokenOut, ms. */
  tokenService: { base: number; perIn: number; perOut: number } | null;
  relay: Sampler;
  /** False when relaying costs nothing (the default): forward at once. */
  relayCosts: boolean;
  tokensIn: Sampler | null;
  tokensOut: Sampler | null;
  /** Probability that a service ends in an error (`errors`). */
  errors: number;
}

export interface CompiledEntry {
  index: number;
  spec: WorkloadSpec;
  /** Origin role, or -1 for external. */
  fromRole: number;
  /** Roles visited in order: `to` (-1 when trace rows name it), then each of `then`. */
  stages: Int32Array;
  /** What follows each stage: hand-offs, parallel forks and joins. */
  flow: StageFlow;
  size: Sampler;
  replySize: Sampler | null;
  start: number;
  stop: number;
  /** Priority class index into `CompiledScenario.classes` (0 when the workload names none). */
  cls: number;
}

export interface CompiledScenario {
  /** The scenario with its roles as laid out for the configuration (model/layout.ts). */
  scenario: Scenario;
  /** The scenario as declared, before the layout. */
  declared: Scenario;
  /** The layout's key (with the graph's, when the configuration sets one): a configuration of another needs another compiled model. */
  layoutKey: string;
  /** Agents. */
  n: number;
  roles: CompiledRole[];
  roleOf: Int32Array;
  roleFirst: Int32Array;
  roleCount: Int32Array;
  /** Worker slots of agent a are slotBase[a] … slotBase[a+1] − 1. */
  slotBase: Int32Array;
  topology: Topology;
  paths: PathFinder;
  latency: Sampler;
  /** Bytes per second (Infinity = no transmission delay). */
  bandwidth: number;
  loss: number;
  entries: CompiledEntry[];
  /** The workload's priority classes (scenario/classes.ts); empty when it names none. */
  classes: string[];
}

export function agentNames(roles: RoleSpec[]): string[] {
  const names: string[] = [];
  for (const r of roles) for (let i = 0; i < r.count; i++) names.push(`${r.name}#${i}`);
  return names;
}

/**
 * Compiles the scenario for the layout `config` asks for (its `resources`
 * and `autoscale`; by default the scenario's own configuration's).
 */
export function compileScenario(declared: Scenario, config: MeshConfig = declared.config): CompiledScenario {
  const layout = layoutOf(declared, config);
  const scenario = applyTopology(applyLayout(declared, layout), config);
  const roleIndex = new Map(scenario.roles.map((r, i) => [r.name, i]));
  const indexOf = (name: string): number => {
    const i = roleIndex.get(name);
    if (i === undefined) throw new Error(`unknown role '${name}'`);
    return i;
  };

  let n = 0;
  const roles: CompiledRole[] = scenario.roles.map((r, index) => {
    const first = n;
    n += r.count;
    const tokenSvc = r.service.dist === 'tokens' ? r.service : null;
    return {
      index,
      name: r.name,
      first,
      count: r.count,
      workers: r.workers,
      initial: layout[index]!.initial,
      autoscaled: layout[index]!.autoscaled,
      service: tokenSvc ? null : new Sampler(r.service as DistSpec),
      tokenService: tokenSvc ? { base: tokenSvc.base, perIn: tokenSvc.perTokenIn, perOut: tokenSvc.perTokenOut } : null,
      relay: new Sampler(r.relay),
      relayCosts: !(r.relay.dist === 'const' && r.relay.value === 0),
      tokensIn: r.tokens ? new Sampler(r.tokens.in) : null,
      tokensOut: r.tokens ? new Sampler(r.tokens.out) : null,
      errors: r.errors,
    };
  });

  const roleOf = new Int32Array(n);
  const roleFirst = new Int32Array(roles.length);
  const roleCount = new Int32Array(roles.length);
  const slotBase = new Int32Array(n + 1);
  for (const r of roles) {
    roleFirst[r.index] = r.first;
    roleCount[r.index] = r.count;
    for (let a = r.first; a < r.first + r.count; a++) {
      roleOf[a] = r.index;
      slotBase[a + 1] = slotBase[a]! + r.workers;
    }
  }

  // The mesh is part of the scenario: it is built from the scenario's seed, so
  // every run and replication of a scenario sees the same graph.
  const topology = buildTopology(scenario.topology, agentNames(scenario.roles), scenario.seed);

  const cls = entryClasses(scenario.workload);
  const entries: CompiledEntry[] = scenario.workload.map((w, index) => ({
    index,
    spec: w,
    fromRole: w.from === 'external' ? -1 : indexOf(w.from),
    // A trace whose rows name their destinations has no `to`: stage 0 is -1,
    // and each message's row gives it.
    stages: Int32Array.from([w.to === '' ? -1 : indexOf(w.to), ...w.then.map(indexOf)]),
    flow: compileFlow(1 + w.then.length, w.parallel),
    size: new Sampler(w.size),
    replySize: w.reply ? new Sampler(w.reply.size) : null,
    start: w.start,
    stop: Math.min(w.stop, scenario.duration),
    cls: cls[index]!,
  }));

  return {
    scenario,
    declared,
    layoutKey: modelKey(declared, config),
    n,
    roles,
    roleOf,
    roleFirst,
    roleCount,
    slotBase,
    topology,
    paths: new PathFinder(topology),
    latency: new Sampler(scenario.links.latency),
    bandwidth: scenario.links.bandwidth,
    loss: scenario.links.loss,
    entries,
    classes: workloadClasses(scenario.workload),
  };
}
