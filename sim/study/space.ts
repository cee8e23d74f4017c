/**
 * The search space of a study: the default dimensions (space-table.ts) shaped
 * by the scenario — knobs that cannot matter in it are left out, and its
 * `search` block overrides ranges (`knobs`), removes knobs (`exclude`) or
 * restricts the search to some (`only`). A bad block is an InputError naming
 * the scenario file and `search.<path>`.
 */
import path from 'node:path';
import { resolvePolicies } from '../model/policies.js';
import { KNOBS, KNOB_PATHS, type KnobPath } from '../scenario/config.js';
import { InputError, formatPath, type PathSegment } from '../scenario/errors.js';
import type { KnobRange, MeshConfig, Scenario } from '../scenario/types.js';
import { getPath } from './config-paths.js';
import { autoscaleSpace } from './space-autoscale.js';
import { resourceSpace } from './space-resources.js';
import { prioritySpace } from './space-priority.js';
import { topologySpace } from './space-topology.js';
import { defaultDims, type Condition, type Dim, type GateDim, type Value } from './space-table.js';

export type { Dim, GateDim, NumericDim, ChoiceDim, Condition, Value } from './space-table.js';

export interface SearchSpace {
  /** Dimensions, parents before children. */
  dims: Dim[];
  /** The scenario's current configuration; candidates are merged over it. */
  base: MeshConfig;
  /** Knobs left out because the scenario makes them meaningless, with why. */
  pruned: Array<{ knob: KnobPath; why: string }>;
}

/** How the scenario names itself in errors: its file relative to the working directory. */
export function scenarioLabel(sc: Scenario): string {
  if (sc.file === '') return `${sc.name}.json`;
  const rel = path.relative(process.cwd(), sc.file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : sc.file;
}

/** Knobs that the scenario makes meaningless, with the reason. */
function prunedKnobs(sc: Scenario): Map<KnobPath, string> {
  const out = new Map<KnobPath, string>();
  // In a full mesh every path is one hop; only `adaptive` differs, by relaying
  // around links a partition cuts.
  if (sc.topology.kind === 'full-mesh' && !sc.faults.some((f) => f.kind === 'partition')) {
    out.set('routing.path', 'a full mesh without partitions has one-hop paths only');
  }
  return out;
}

export function buildSpace(sc: Scenario): SearchSpace {
  const label = scenarioLabel(sc);
  const fail = (at: PathSegment[], detail: string): never => {
    throw new InputError(label, formatPath(['search', ...at]), detail);
  };
  const search = sc.search;
  const table = defaultDims();
  const byName = new Map(table.map((d) => [d.name, d]));

  for (const [knob, range] of Object.entries(search.knobs)) {
    if (!(KNOB_PATHS as readonly string[]).includes(knob)) fail(['knobs', knob], `unknown knob; knobs are: ${KNOB_PATHS.join(', ')}`);
    applyRange(table, knob as KnobPath, range, (at, detail) => fail(['knobs', knob, ...at], detail));
  }

  const resources = resourceSpace(sc);
  const topology = topologySpace(sc, resources.base);
  const resourcePaths = new Set<string>(resources.dims.map((d) => d.path));
  const topologyPaths = new Set<string>(topology.dims.map((d) => d.path));
  for (const at of ['only', 'exclude'] as const) {
    search[at].forEach((k, i) => {
      if (k.startsWith('resources.') && !resourcePaths.has(k)) {
        const role = k.slice('resources.'.length, k.lastIndexOf('.'));
        fail(
          [at, i],
          sc.config.autoscale?.[role] !== undefined && k.endsWith('.count')
            ? `${k} is not searched: the configuration autoscales ${role}, whose count its autoscaler decides (autoscale.${role}.min and .max are searched)`
            : `${k} is not searched: its role has no scale bounds for it (roles.<role>.scale), or the configuration autoscales it`,
        );
      }
      if (k.startsWith('topology.') && !topologyPaths.has(k)) {
        fail([at, i], `${k} is not searched: topology.search gives it no range`);
      }
    });
  }
  const priority = prioritySpace(sc);
  const priorityPaths = new Set<string>(priority.map((d) => (d.kind === 'gate' ? d.name : d.path)));
  for (const at of ['only', 'exclude'] as const) {
    search[at].forEach((k, i) => {
      if (k.startsWith('priority.') && !priorityPaths.has(k)) fail([at, i], `${k} is not searched: class weights are searched for the classes of a workload that names two or more`);
    });
  }
  const chosen = (path: string): boolean => (search.only.length > 0 ? search.only.includes(path) : !search.exclude.includes(path));
  const autoscale = autoscaleSpace(sc, topology.base, chosen);
  const autoscalePaths = new Set<string>(autoscale.paths);
  for (const at of ['only', 'exclude'] as const) {
    search[at].forEach((k, i) => {
      if (k.startsWith('autoscale.') && !autoscalePaths.has(k)) {
        fail([at, i], `${k} is not searched: the configuration does not autoscale that role (config.autoscale.<role>), or its name has a dot`);
      }
    });
  }
  // The weights are searched with their switch, all or none: naming one in
  // `only` keeps them all, naming one in `exclude` leaves them all out.
  const priorityNames = priority.map((d) => (d.kind === 'gate' ? d.name : d.path));
  const priorityDims =
    search.only.length > 0 ? (priorityNames.some((n) => search.only.includes(n)) ? priority : []) : priorityNames.some((n) => search.exclude.includes(n)) ? [] : priority;
  const resourceDims = resources.dims.filter((d) => chosen(d.path));
  const topologyDims = topology.dims
    .filter((d) => chosen(d.path))
    // A fanout whose shape is not searched is always live: the shape stays a tree.
    .map((d) => (d.when !== null && !chosen(d.when.dim) ? { ...d, when: null } : d));
  const pruned = prunedKnobs(sc);
  const named = new Set<string>([...search.only, ...Object.keys(search.knobs)]);
  let searched: Set<string>;
  if (search.only.length > 0) searched = new Set(search.only);
  else searched = new Set(KNOB_PATHS.filter((k) => !pruned.has(k) || named.has(k)));
  for (const k of search.exclude) searched.delete(k);
  if (searched.size === 0 && resourceDims.length === 0 && topologyDims.length === 0 && priorityDims.length === 0 && autoscale.dims.length === 0) {
    const at = search.only.length > 0 ? 'only' : 'exclude';
    fail([at], `no knob left to search (only: [${search.only.join(', ')}], exclude: [${search.exclude.join(', ')}])`);
  }

  const keep = (d: Dim): boolean =>
    d.kind === 'gate' ? d.requires.some((k) => searched.has(k)) : searched.has(d.path);

  const base = autoscale.base;
  const kept: Dim[] = [];
  const keptNames = new Set<string>();
  for (const dim of table) {
    if (!keep(dim)) continue;
    const when = resolveCondition(dim.when, keptNames, byName, base);
    if (when === false) continue;
    if (when !== null && !canHold(when, kept.find((d) => d.name === when.dim)!)) continue;
    kept.push({ ...dim, when } as Dim);
    keptNames.add(dim.name);
  }
  kept.push(...resourceDims, ...autoscale.dims, ...topologyDims, ...priorityDims);
  if (kept.length === 0) fail([search.only.length > 0 ? 'only' : 'exclude'], 'no knob left to search: the knobs named need mechanisms the configuration does not have');
  return {
    dims: kept,
    base,
    // Only what the scenario's search block would otherwise have searched.
    pruned:
      search.only.length > 0
        ? []
        : [...pruned].filter(([k]) => !searched.has(k) && !search.exclude.includes(k)).map(([knob, why]) => ({ knob, why })),
  };
}

/**
 * A condition on a dimension that is not searched is decided by the
 * scenario's configuration: true makes the child unconditional (null), false
 * removes it. Conditions on searched dimensions stay.
 */
function resolveCondition(
  when: Condition | null,
  kept: ReadonlySet<string>,
  byName: ReadonlyMap<string, Dim>,
  base: MeshConfig,
): Condition | null | false {
  if (when === null) return null;
  if (kept.has(when.dim)) return when;
  const parent = byName.get(when.dim);
  if (parent === undefined) return false;
  const upstream = resolveCondition(parent.when, kept, byName, base);
  if (upstream === false) return false;
  if (upstream !== null) return false; // the parent is not searched but its own parent is: keep it simple, drop
  return holds(when, baseValue(parent, base)) ? null : false;
}

function baseValue(dim: Dim, base: MeshConfig): unknown {
  if (dim.kind === 'gate') return dim.stateOf(base);
  if (dim.path === 'retry.maxAttempts') return resolvePolicies(base).maxAttempts;
  return getPath(base, dim.path);
}

export function holds(c: Condition, parentValue: unknown): boolean {
  if (c.values !== undefined && !c.values.includes(parentValue as Value)) return false;
  if (c.above !== undefined && !(typeof parentValue === 'number' && parentValue > c.above)) return false;
  return true;
}

/** False when the parent's range can never satisfy the condition (the child would never be active). */
function canHold(c: Condition, parent: Dim): boolean {
  if (parent.kind === 'gate' || parent.kind === 'choice') {
    return parent.values.some((v) => holds(c, v));
  }
  if (c.above !== undefined && parent.max <= c.above) return false;
  if (c.values !== undefined) return c.values.some((v) => typeof v === 'number' && v >= parent.min && v <= parent.max);
  return true;
}

/** Replaces a knob's default range with the scenario's, after checking it against the knob's own schema. */
function applyRange(table: Dim[], knob: KnobPath, range: KnobRange, fail: (at: PathSegment[], detail: string) => never): void {
  const spec = KNOBS[knob];
  const idx = table.findIndex((d) => d.kind !== 'gate' && d.path === knob);
  const current = table[idx];
  if (current === undefined || current.kind === 'gate') return fail([], 'this knob cannot be searched');
  if (range.kind === 'choice') {
    if (range.values.length === 0) fail(['values'], 'expected at least one value');
    range.values.forEach((v, i) => {
      const r = spec.schema.safeParse(v);
      if (!r.success) fail(['values', i], `${String(v)} is not a value ${knob} can take: ${r.error.issues[0]?.message ?? 'invalid'}`);
    });
    const values = range.values.map((v) => spec.schema.parse(v) as Value);
    table[idx] = { name: current.name, kind: 'choice', path: knob, values, when: current.when };
    if (knob === 'concurrency.limit') {
      // A list of limits (numbers or adaptive kinds) replaces the off/fixed/aimd/gradient switch.
      const g = table.find((d): d is GateDim => d.kind === 'gate' && d.name === 'concurrency')!;
      g.values = ['off', 'on'];
      g.writes = {};
      g.stateOf = (c) => (c.concurrency?.limit === undefined ? 'off' : 'on');
      table[idx]!.when = { dim: 'concurrency', values: ['on'] };
    }
    return;
  }
  if (spec.bound === null) return fail([], `${knob} is a choice, not a range; expected values: [...]`);
  for (const key of ['min', 'max'] as const) {
    const r = spec.bound.safeParse(range[key]);
    if (!r.success) fail([key], `${range[key]} is out of what ${knob} can take: ${r.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (!(range.min <= range.max)) fail(['max'], `expected max >= min (${range.min}), got ${range.max}`);
  if (range.log && !(range.min > 0)) fail(['min'], `a log range needs min > 0, got ${range.min}`);
  if (range.kind === 'int' && !(Number.isInteger(range.min) && Number.isInteger(range.max))) {
    fail(['min'], `${knob} takes whole numbers; got ${range.min}..${range.max}`);
  }
  if (spec.kind === 'int' && range.kind === 'float') fail([], `${knob} takes whole numbers`);
  table[idx] = { name: current.name, kind: range.kind, path: knob, min: range.min, max: range.max, log: range.log, when: current.when };
}

/** The number of distinct values of a dimension, or Infinity for real ranges. */
export function cardinality(d: Dim): number {
  if (d.kind === 'gate' || d.kind === 'choice') return d.values.length;
  if (d.kind === 'int') return d.max - d.min + 1;
  return d.min === d.max ? 1 : Infinity;
}
