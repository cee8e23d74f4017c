/**
 * From the parsed file to the `Scenario` shape: checks that need the whole
 * file (every role reference names a declared role, agent names exist,
 * warmup < duration, start < stop) and defaults that depend on other fields.
 * Throws a {@link FieldIssue} for the first problem found.
 */
import path from 'node:path';
import type {
  ClassSlo,
  CostSpec,
  CrashFault,
  DistSpec,
  FaultSpec,
  RoleSpec,
  Scenario,
  SloSpec,
  SlowFault,
  TopologySearch,
  TopologySpec,
  TraceFormat,
  WorkloadSpec,
} from './types.js';
import type { ParsedFault, ParsedScenario, ParsedWorkload } from './schema.js';
import { DEFAULT_SIZE, TOPOLOGY_KINDS } from './schema.js';
import { asMeshConfig } from './config.js';
import { FieldIssue, unknownName } from './errors.js';
import { checkScenarioResources } from './resources.js';
import { checkScenarioClasses } from './classes.js';
import { checkScenarioTopology } from './topology.js';
import { checkExplicitReach } from './reach.js';
import { quote } from './units.js';
import { flattenSteps } from './steps.js';
import type { PathSegment } from './errors.js';

/** Where the text came from, for the fields the file itself may leave out. */
export interface Origin {
  /** Absolute path, or '' for text built in code. */
  file: string;
  /** Default name: the file's base name. */
  name: string;
  /** Default description: the comment at the top of the file. */
  description: string;
}

type Path = readonly PathSegment[];

/** Declared roles, for looking references up and listing them in errors. */
class Roles {
  private readonly byName: Map<string, RoleSpec>;
  constructor(readonly list: readonly RoleSpec[]) {
    this.byName = new Map(list.map((r) => [r.name, r]));
  }

  get(name: string, at: Path): RoleSpec {
    const r = this.byName.get(name);
    if (r === undefined) throw new FieldIssue(at, unknownName('role', name, 'roles', this.list.map((x) => x.name)));
    return r;
  }
}

export function normalize(p: ParsedScenario, origin: Origin): Scenario {
  const roleList: RoleSpec[] = Object.entries(p.roles).map(([name, r]) => ({
    name,
    count: r.count,
    workers: r.workers,
    service: r.service,
    relay: r.relay,
    tokens: r.tokens ?? null,
    errors: r.errors,
    ...(r.scale === undefined ? {} : { scale: { count: r.scale.count ?? null, workers: r.scale.workers ?? null } }),
  }));
  const roles = new Roles(roleList);
  if (p.warmup >= p.duration) {
    throw new FieldIssue(['warmup'], `expected warmup < duration (${p.duration}ms), got ${p.warmup}ms`);
  }
  const dir = origin.file === '' ? '' : path.dirname(origin.file);
  const scenario: Scenario = {
    name: p.name ?? origin.name,
    description: p.description ?? origin.description,
    file: origin.file,
    duration: p.duration,
    warmup: p.warmup,
    drain: p.drain,
    seed: p.seed,
    roles: roleList,
    topology: topologyOf(p.topology, roles),
    links: p.links,
    workload: p.workload.map((w, i) => workloadOf(w, ['workload', i], roles, p.duration, dir)),
    faults: p.faults.map((f, i) => faultOf(f, ['faults', i], roles, p.duration)),
    slo: sloOf(p.slo),
    cost: costOf(p.cost),
    config: asMeshConfig(p.config),
    search: p.search,
  };
  checkScenarioResources(scenario);
  checkScenarioClasses(scenario);
  checkScenarioTopology(scenario);
  checkExplicitReach(scenario);
  return scenario;
}

/** The SLOs, with `classes` left out when the file gives none (the shape older scenarios had). */
function sloOf(s: ParsedScenario['slo']): SloSpec {
  const slo: SloSpec = { p99: s.p99 ?? null, deliveryRatio: s.deliveryRatio ?? null };
  if (s.classes === undefined) return slo;
  const classes: Record<string, ClassSlo> = {};
  for (const [name, c] of Object.entries(s.classes)) classes[name] = { p99: c.p99 ?? null, deliveryRatio: c.deliveryRatio ?? null };
  return { ...slo, classes };
}

/** The prices, with `perSlotHour` left out when the file does not set it (the shape older scenarios had). */
function costOf(c: ParsedScenario['cost']): CostSpec {
  const { perSlotHour, ...rest } = c;
  return perSlotHour === undefined ? rest : { ...rest, perSlotHour };
}

const AGENT = /^(.+)#(\d+)$/;

function topologyOf(t: ParsedScenario['topology'], roles: Roles): TopologySpec {
  const at: Path = ['topology'];
  if (t.kind !== 'explicit' && t.edges.length > 0) {
    throw new FieldIssue([...at, 'edges'], `edges are only used with kind: explicit (kinds are: ${TOPOLOGY_KINDS.join(', ')})`);
  }
  if (t.kind === 'explicit' && t.edges.length === 0) {
    throw new FieldIssue([...at, 'edges'], 'required for kind: explicit; expected a list like [[coordinator#0, worker#0], ...]');
  }
  if (t.kind === 'small-world' && t.degree % 2 !== 0) {
    throw new FieldIssue([...at, 'degree'], `expected an even number of neighbours for small-world, got ${t.degree}`);
  }
  t.edges.forEach((edge, e) => {
    edge.forEach((agent, side) => checkAgent(agent, [...at, 'edges', e, side], roles));
    if (edge[0] === edge[1]) throw new FieldIssue([...at, 'edges', e], `an edge joins two different agents; got a self-loop on ${quote(edge[0])}`);
  });
  const spec: TopologySpec = { kind: t.kind, fanout: t.fanout, degree: t.degree, rewire: t.rewire, m: t.m, edges: t.edges };
  if (t.search === undefined) return spec;
  const search: TopologySearch = {};
  if (t.search.fanout !== undefined) search.fanout = t.search.fanout;
  if (t.search.degree !== undefined) search.degree = t.search.degree;
  if (t.search.m !== undefined) search.m = t.search.m;
  if (t.search.shape !== undefined) search.shape = t.search.shape;
  return { ...spec, search };
}

function checkAgent(agent: string, at: Path, roles: Roles): void {
  const m = AGENT.exec(agent);
  if (m === null) throw new FieldIssue(at, `expected an agent name like ${roles.list[0]?.name ?? 'worker'}#0, got ${quote(agent)}`);
  const role = roles.get(m[1] ?? '', at);
  const i = Number(m[2]);
  if (i >= role.count) {
    throw new FieldIssue(at, `${role.name} has ${role.count} replica${role.count === 1 ? '' : 's'} (${role.name}#0 to ${role.name}#${role.count - 1}), got ${quote(agent)}`);
  }
}

function workloadOf(w: ParsedWorkload, at: Path, roles: Roles, duration: number, dir: string): WorkloadSpec {
  if (w.from !== 'external') roles.get(w.from, [...at, 'from']);
  const to = w.to ?? '';
  if (to !== '') roles.get(to, [...at, 'to']);
  const { then, parallel } = flattenSteps(w.then, [...at, 'then'], (name, where) => void roles.get(name, where));
  if (parallel.length > 0 && w.fanout !== undefined) {
    throw new FieldIssue([...at, 'fanout'], 'a scatter–gather (fanout) cannot be combined with parallel groups in then');
  }
  const stop = w.stop ?? duration;
  if (w.start >= stop) {
    throw new FieldIssue([...at, w.stop === undefined ? 'start' : 'stop'], `expected start < stop, got start ${w.start}ms and stop ${stop}ms`);
  }
  if (w.fanout !== undefined && to !== '') {
    const target = roles.get(to, [...at, 'to']);
    if (w.fanout.count > target.count) {
      throw new FieldIssue([...at, 'fanout', 'count'], `expected at most ${target.count} (the replicas of ${to}), got ${w.fanout.count}`);
    }
  }
  const common = {
    from: w.from,
    to,
    size: w.size,
    reply: w.reply === undefined || w.reply === false ? null : { size: w.reply === true ? constant(DEFAULT_SIZE) : w.reply.size },
    then,
    parallel,
    start: w.start,
    stop,
    priority: w.priority,
    ...(w.class === undefined ? {} : { class: w.class }),
    keys: w.keys,
    fanout: w.fanout === undefined ? null : { count: w.fanout.count, quorum: w.fanout.quorum ?? w.fanout.count },
  };
  switch (w.pattern) {
    case 'poisson':
      return { pattern: 'poisson', ...common, rate: w.rate };
    case 'bursty':
      return { pattern: 'bursty', ...common, rate: w.rate, burstRate: w.burstRate, meanBurst: w.meanBurst, meanGap: w.meanGap };
    case 'closed':
      return { pattern: 'closed', ...common, clients: w.clients, think: w.think };
    case 'diurnal': {
      w.table.forEach((row, j) => {
        const prev = w.table[j - 1];
        if (prev !== undefined && row.at <= prev.at) {
          throw new FieldIssue([...at, 'table', j, 'at'], `expected times in increasing order, after ${prev.at}ms; got ${row.at}ms`);
        }
      });
      let rate = w.rate;
      if (rate === undefined) {
        if (w.table.length === 0) throw new FieldIssue([...at, 'rate'], 'required unless a table is given; expected a rate like 50/s');
        rate = tableMean(w.table, w.start, stop);
      }
      return { pattern: 'diurnal', ...common, rate, amplitude: w.amplitude, period: w.period ?? duration, table: w.table };
    }
    case 'trace': {
      const format = w.format ?? formatOf(w.file, [...at, 'format']);
      if (format === 'azure-llm' && to === '') {
        throw new FieldIssue([...at, 'to'], 'required for format azure-llm, whose rows name no destination; expected a role name');
      }
      const file = path.isAbsolute(w.file) || dir === '' ? path.resolve(w.file) : path.resolve(dir, w.file);
      const classes = w.classes ?? [];
      const twice = classes.findIndex((c, j) => classes.indexOf(c) !== j);
      if (twice >= 0) throw new FieldIssue([...at, 'classes', twice], `'${classes[twice]}' is listed twice`);
      return { pattern: 'trace', ...common, file, format, speedup: w.speedup, bytesPerToken: w.bytesPerToken, classes };
    }
  }
}

function constant(value: number): DistSpec {
  return { dist: 'const', value };
}

/** Time-weighted mean rate of a piecewise-constant table over [start, stop); nothing is sent before its first row. */
function tableMean(table: ReadonlyArray<{ at: number; rate: number }>, start: number, stop: number): number {
  let sum = 0;
  table.forEach((row, j) => {
    const from = Math.max(row.at, start);
    const to = Math.min(table[j + 1]?.at ?? Infinity, stop);
    if (to > from) sum += row.rate * (to - from);
  });
  return sum / (stop - start);
}

function formatOf(file: string, at: Path): TraceFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl') return 'jsonl';
  throw new FieldIssue(at, `cannot tell the format of ${quote(file, 80)} from its extension; expected format: csv, jsonl, azure-llm or otlp`);
}

function faultOf(f: ParsedFault, at: Path, roles: Roles, durationMs: number): FaultSpec {
  // A fault that starts once the sources have stopped never meets the traffic
  // it was written for: the run would report a mesh that rode it out.
  if (f.at !== undefined && f.at >= durationMs) {
    throw new FieldIssue([...at, 'at'], `expected a start before the end of the run (duration ${durationMs}ms), got ${f.at}ms: the fault would never meet the traffic`);
  }
  switch (f.kind) {
    case 'crash': {
      const recurring = f.mtbf !== undefined;
      const fault: CrashFault = {
        kind: 'crash',
        ...selectionOf(f, at, roles),
        at: f.at ?? 0,
        // A recurring crash fault lasts the whole run unless bounded by `for`.
        for: f.for ?? (recurring ? Infinity : 0),
        mtbf: f.mtbf ?? null,
        mttr: f.mttr ?? null,
      };
      return fault;
    }
    case 'slow': {
      const fault: SlowFault = { kind: 'slow', ...selectionOf(f, at, roles), factor: f.factor, at: f.at, for: f.for };
      return fault;
    }
    case 'partition': {
      const groups = f.between.map((side) => (typeof side === 'string' ? [side] : side));
      const a = groups[0] ?? [];
      const b = groups[1] ?? [];
      groups.forEach((g, s) =>
        g.forEach((name, j) => roles.get(name, typeof f.between[s] === 'string' ? [...at, 'between', s] : [...at, 'between', s, j])),
      );
      const both = a.find((name) => b.includes(name));
      if (both !== undefined) throw new FieldIssue([...at, 'between'], `role '${both}' is on both sides of the partition`);
      return { kind: 'partition', between: [a, b], at: f.at, for: f.for };
    }
    case 'loss':
      return { kind: 'loss', rate: f.rate, at: f.at, for: f.for };
    case 'latency':
      return { kind: 'latency', factor: f.factor, at: f.at, for: f.for };
  }
}

interface Selection {
  target: string;
  count?: number | undefined;
  fraction?: number | undefined;
  zone?: number | undefined;
  zones: number;
}

function selectionOf(f: Selection, at: Path, roles: Roles) {
  const role = roles.get(f.target, [...at, 'target']);
  if (f.count !== undefined && f.count > role.count) {
    throw new FieldIssue([...at, 'count'], `expected at most ${role.count} (the replicas of ${role.name}), got ${f.count}`);
  }
  if (f.zone !== undefined && f.zones > role.count) {
    throw new FieldIssue([...at, 'zones'], `expected at most ${role.count} zones (the replicas of ${role.name}), got ${f.zones}`);
  }
  return { target: f.target, count: f.count ?? null, fraction: f.fraction ?? null, zone: f.zone ?? null, zones: f.zones };
}
