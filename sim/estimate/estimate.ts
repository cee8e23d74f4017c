/**
 * How much work a run will be, before it starts (SPEC §6.1): events, agents,
 * worker slots, links and messages in flight, each with the field that
 * drives it. An order-of-magnitude estimate from the scenario's own numbers —
 * rates × windows, replicas, service times against capacity — that is
 * within a few times of what the library's scenarios measure, so that a limit
 * set a hundred times above them refuses only the absurd.
 */
import type { MeshConfig, RoleSpec, Scenario, ServiceSpec, WorkloadSpec } from '../scenario/types.js';
import type { DistSpec } from '../scenario/types.js';
import { applyLayout, applyTopology, layoutOf } from '../model/layout.js';

/** One estimated quantity and the field path that contributes most to it. */
export interface Demand {
  value: number;
  /** Field path (`workload[0].rate`), as errors name fields. */
  field: string;
  /** Why that field, in a few words (`worker is offered 40× its capacity`). */
  why: string;
}

export interface WorkEstimate {
  events: Demand;
  agents: Demand;
  /** Worker slots, all replicas together. */
  slots: Demand;
  /** Directed links of the topology (full-mesh: none stored). */
  links: Demand;
  /** Workload messages in flight at the busiest time. */
  pending: Demand;
}

/** Rows a trace entry will replay (from its file's size), given by the caller: estimating needs no I/O. */
export type TraceRows = (w: Extract<WorkloadSpec, { pattern: 'trace' }>, index: number) => number;

/** Longest path a message takes, hops (the model drops it after 64). */
const MAX_HOPS = 64;

export function mean(d: DistSpec): number {
  switch (d.dist) {
    case 'const':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'empirical': {
      let s = 0;
      for (const v of d.values) s += v;
      return d.values.length === 0 ? 0 : s / d.values.length;
    }
    default:
      return d.mean;
  }
}

function serviceMs(r: RoleSpec): number {
  const s: ServiceSpec = r.service;
  if (s.dist !== 'tokens') return mean(s);
  const tin = r.tokens ? mean(r.tokens.in) : 0;
  const tout = r.tokens ? mean(r.tokens.out) : 0;
  return s.base + tin * s.perTokenIn + tout * s.perTokenOut;
}

/** Typical hops between two agents of an `n`-agent topology. */
function hops(s: Scenario, n: number): number {
  const t = s.topology;
  const logBase = (b: number) => Math.log(Math.max(2, n)) / Math.log(Math.max(2, b));
  switch (t.kind) {
    case 'full-mesh':
      return 1;
    case 'star':
      return 2;
    case 'ring':
      return Math.min(MAX_HOPS, Math.max(1, n / 4));
    case 'hierarchical':
      return Math.min(MAX_HOPS, 2 * Math.ceil(logBase(t.fanout)));
    case 'small-world':
    case 'random':
      return Math.min(MAX_HOPS, Math.ceil(logBase(t.degree)));
    case 'scale-free':
      return Math.min(MAX_HOPS, Math.ceil(logBase(2 * t.m)));
    case 'explicit':
      return Math.min(MAX_HOPS, Math.ceil(Math.log2(Math.max(2, n))));
  }
}

interface EntryLoad {
  /** Messages over the run. */
  messages: number;
  /** Mean rate while sending, per second. */
  ratePerSec: number;
  /** Work beyond one event per message (state changes of the arrival process). */
  extraSteps: number;
  /** The field that sets the amount, and the one that sets the extra steps. */
  field: string;
  stepsField: string;
}

function entryLoad(s: Scenario, w: WorkloadSpec, i: number, traceRows: TraceRows | undefined, capacityPerSec: number): EntryLoad {
  const at = `workload[${i}]`;
  const windowMs = Math.max(0, Math.min(w.stop, s.duration) - w.start);
  const sec = windowMs / 1000;
  const open = (ratePerSec: number, field: string): EntryLoad => ({ messages: ratePerSec * sec, ratePerSec, extraSteps: 0, field, stepsField: field });
  switch (w.pattern) {
    case 'poisson':
      return open(w.rate, `${at}.rate`);
    case 'bursty': {
      const cycle = w.meanGap + w.meanBurst;
      const avg = (w.rate * w.meanGap + w.burstRate * w.meanBurst) / cycle;
      const load = open(avg, w.burstRate * w.meanBurst >= w.rate * w.meanGap ? `${at}.burstRate` : `${at}.rate`);
      // Every change of state is a step of the arrival process, events or not.
      load.extraSteps = (2 * windowMs) / cycle;
      load.stepsField = w.meanBurst <= w.meanGap ? `${at}.meanBurst` : `${at}.meanGap`;
      return load;
    }
    case 'diurnal': {
      if (w.table.length === 0) {
        const load = open(w.rate, `${at}.rate`);
        load.extraSteps = load.messages * w.amplitude; // thinning rejects up to amplitude/(1+amplitude) of its draws
        return load;
      }
      let messages = 0;
      let top = { j: 0, messages: -1 };
      w.table.forEach((row, j) => {
        const from = Math.max(row.at, w.start);
        const to = Math.min(w.table[j + 1]?.at ?? Infinity, w.stop, s.duration);
        const m = to > from ? (row.rate * (to - from)) / 1000 : 0;
        messages += m;
        if (m > top.messages) top = { j, messages: m };
      });
      const field = `${at}.table[${top.j}].rate`;
      return { messages, ratePerSec: sec > 0 ? messages / sec : 0, extraSteps: w.table.length, field, stepsField: field };
    }
    case 'closed': {
      // Each client sends again after its answer and a think time; the mesh's capacity bounds the loop.
      const cycleMs = mean(w.think) + firstStageMs(s, w);
      const perClient = cycleMs > 0 ? 1000 / cycleMs : Infinity;
      const ratePerSec = Math.min(w.clients * perClient, capacityPerSec);
      const field = Number.isFinite(ratePerSec) && w.clients * perClient <= capacityPerSec ? `${at}.clients` : `${at}.think`;
      return { messages: ratePerSec * sec, ratePerSec, extraSteps: 0, field, stepsField: field };
    }
    case 'trace': {
      const rows = traceRows?.(w, i) ?? 0;
      return { messages: rows, ratePerSec: sec > 0 ? rows / sec : 0, extraSteps: 0, field: `${at}.file`, stepsField: `${at}.file` };
    }
  }
}

function roleOf(s: Scenario, name: string): RoleSpec | undefined {
  return s.roles.find((r) => r.name === name);
}

/** Mean service time of a message's first stage, ms (0 when the trace names it per row). */
function firstStageMs(s: Scenario, w: WorkloadSpec): number {
  const r = roleOf(s, w.to);
  return r === undefined ? 0 : serviceMs(r);
}

/** Stages a message visits: `to`, then each of `then`. */
function stagesOf(s: Scenario, w: WorkloadSpec): RoleSpec[] {
  const names = [w.to, ...w.then].filter((n) => n !== '');
  const out: RoleSpec[] = [];
  for (const n of names) {
    const r = roleOf(s, n);
    if (r !== undefined) out.push(r);
  }
  if (out.length === 0 && s.roles[0] !== undefined) out.push(s.roles[0]); // a trace naming roles per row
  return out;
}

/** The estimate of one run of `scenario` under `config`. */
export function estimateWork(declared: Scenario, config: MeshConfig, traceRows?: TraceRows): WorkEstimate {
  // Replicas and slots as the configuration lays them out (config.resources; an autoscaled role at its max).
  const s = applyTopology(applyLayout(declared, layoutOf(declared, config)), config);
  const n = s.roles.reduce((sum, r) => sum + r.count, 0);
  const biggest = s.roles.reduce((a, b) => (b.count > a.count ? b : a), s.roles[0]!);
  const agents: Demand = { value: n, field: `roles.${biggest.name}.count`, why: `${biggest.count} replicas of ${biggest.name}` };
  const slotsOf = (r: RoleSpec) => r.count * r.workers;
  const widest = s.roles.reduce((a, b) => (slotsOf(b) > slotsOf(a) ? b : a), s.roles[0]!);
  const slots: Demand = {
    value: s.roles.reduce((sum, r) => sum + slotsOf(r), 0),
    field: widest.workers > 1 ? `roles.${widest.name}.workers` : `roles.${widest.name}.count`,
    why: `${widest.count} replicas of ${widest.name} with ${widest.workers} workers each`,
  };
  const links = linksOf(s, n);

  // Capacity of each role, messages per second (Infinity when service is free).
  const capacity = new Map(s.roles.map((r) => [r.name, serviceMs(r) > 0 ? (r.count * r.workers * 1000) / serviceMs(r) : Infinity]));
  const h = hops(s, n);
  const copies = config.routing?.redundancy ?? 1;
  const acked = config.delivery !== undefined && config.delivery !== 'at-most-once';
  const attempts = config.retry ? (config.retry.maxAttempts ?? 3) : 1;
  // Retries happen on failures only: a generous allowance (attempts "until it
  // works") says little about how many are taken; up to ten count, at half each.
  const retryFactor = 1 + (Math.min(attempts, 10) - 1) * 0.5;
  const timers = (config.timeout ? 1 : 0) + (config.hedge ? 1 : 0);

  let events = 0;
  let eventsTop = { value: -1, field: 'duration', why: '' };
  const offered = new Map<string, { erlangs: number; perSec: number; field: string; top: number }>();
  let inFlight = 0;
  let inFlightTop = { value: -1, field: 'duration', why: '' };
  s.workload.forEach((w, i) => {
    const stages = stagesOf(s, w);
    const firstCapacity = stages[0] === undefined ? Infinity : (capacity.get(stages[0].name) ?? Infinity);
    const load = entryLoad(s, w, i, traceRows, firstCapacity);
    const fan = w.fanout?.count ?? 1;
    let perMessage = 1;
    stages.forEach((_, k) => {
      const inHops = k === 0 && w.from === 'external' ? 0 : h;
      perMessage += (k === 0 ? fan : 1) * copies * ((inHops + 1) * (acked ? 2 : 1) + timers);
    });
    if (w.reply !== null) perMessage += h * copies * fan;
    const e = load.messages * perMessage * retryFactor + load.extraSteps;
    events += e;
    if (e > eventsTop.value) {
      const steps = load.extraSteps > load.messages * perMessage;
      eventsTop = {
        value: e,
        field: steps ? load.stepsField : load.field,
        why: steps ? `${fmt(load.extraSteps)} changes of the arrival rate` : `${fmt(load.messages)} messages of about ${fmt(perMessage)} events each`,
      };
    }
    // Offered load per role, for the queues that grow without bound.
    let residenceMs = 0;
    stages.forEach((r, k) => {
      const perSec = load.ratePerSec * (k === 0 ? fan : 1) * copies;
      const cur = offered.get(r.name) ?? { erlangs: 0, perSec: 0, field: load.field, top: -1 };
      cur.perSec += perSec;
      // A free service (0 ms) loads nothing, however many messages arrive.
      if (serviceMs(r) > 0) cur.erlangs += (perSec * serviceMs(r)) / 1000;
      if (perSec > cur.top) {
        cur.top = perSec;
        cur.field = load.field;
      }
      offered.set(r.name, cur);
      residenceMs += serviceMs(r) + (k === 0 && w.from === 'external' ? 0 : h * mean(s.links.latency));
    });
    // Little's law at light load; a closed workload never has more than its clients out.
    const light = w.pattern === 'closed' ? w.clients : (load.ratePerSec * residenceMs) / 1000;
    inFlight += light;
    if (light > inFlightTop.value) {
      inFlightTop =
        w.pattern === 'closed'
          ? { value: light, field: `workload[${i}].clients`, why: `${fmt(w.clients)} clients with a message out each` }
          : { value: light, field: load.field, why: `${fmt(load.ratePerSec)}/s for about ${fmt(residenceMs)} ms each` };
    }
  });

  // Recurring crashes: each victim fails and is repaired once per mtbf + mttr.
  s.faults.forEach((f, i) => {
    if (f.kind !== 'crash' || f.mtbf === null || f.mttr === null) return;
    const role = roleOf(s, f.target);
    const victims = f.count ?? (role === undefined ? 0 : Math.ceil((f.fraction ?? 1) * role.count));
    const spanMs = Math.min(f.for, s.duration + s.drain - f.at);
    const e = (2 * victims * Math.max(0, spanMs)) / (f.mtbf + f.mttr);
    events += e;
    if (e > eventsTop.value) {
      eventsTop = { value: e, field: `faults[${i}].${f.mtbf <= f.mttr ? 'mtbf' : 'mttr'}`, why: `${fmt(e)} crashes and repairs` };
    }
  });

  // Beyond capacity, a queue grows for as long as the sources send (unless buffers are bounded).
  const buffer = config.buffer?.capacity;
  for (const r of s.roles) {
    const o = offered.get(r.name);
    if (o === undefined) continue;
    const servers = r.count * r.workers;
    if (o.erlangs <= servers) continue;
    const excessPerSec = o.perSec * (1 - servers / o.erlangs);
    let backlog = (excessPerSec * s.duration) / 1000;
    if (buffer !== undefined) backlog = Math.min(backlog, buffer * r.count);
    inFlight += backlog;
    if (backlog > inFlightTop.value) {
      inFlightTop = { value: backlog, field: o.field, why: `${r.name} is offered ${fmt(o.erlangs / servers)}× its capacity, so its queue grows` };
    }
  }
  return {
    events: { value: events, field: eventsTop.field, why: eventsTop.why },
    agents,
    slots,
    links,
    pending: { value: inFlight, field: inFlightTop.field, why: inFlightTop.why },
  };
}

function linksOf(s: Scenario, n: number): Demand {
  const t = s.topology;
  switch (t.kind) {
    case 'full-mesh':
      return { value: 0, field: 'topology.kind', why: 'full-mesh links are implicit' };
    case 'small-world':
    case 'random':
      return { value: n * t.degree, field: 'topology.degree', why: `${n} agents of degree ${t.degree}` };
    case 'scale-free':
      return { value: 2 * n * t.m, field: 'topology.m', why: `${n} agents joining with ${t.m} links each` };
    case 'explicit':
      return { value: 2 * t.edges.length, field: 'topology.edges', why: `${t.edges.length} edges` };
    default:
      return { value: 2 * n, field: `roles.${s.roles.reduce((a, b) => (b.count > a.count ? b : a), s.roles[0]!).name}.count`, why: `${n} agents` };
  }
}

/** A figure as the refusal prints it: `3.2e15`, `41,000`. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'endlessly many' : String(x);
  if (x >= 1e6) return x.toExponential(1).replace('e+', 'e');
  return Math.round(x).toLocaleString('en-US');
}
