/**
 * What the importer infers from the derived traces, as plain data: roles
 * with their fitted own times, the workload entries (one per path requests
 * take), the links, the arrival process, and the list of what could not be
 * inferred. The YAML writer renders it; fidelity reads it.
 */
import { fitArrivals, type Arrivals } from './arrivals.js';
import type { Derived, Edge } from './derive.js';
import { fitSample, type Fit } from './fit.js';
import { cutPath, flatPath, MAX_BRANCHES, MAX_STAGES, parsePathKey, renamePath, splitReadings, type PathStage } from './path-key.js';
import { inferTimeouts, type Timeouts } from './timeouts.js';

export interface InferredRole {
  name: string;
  /** The service's name in the trace, when it had to be changed into a role name. */
  original: string;
  count: number;
  countFrom: string;
  workers: number;
  own: Fit;
  spans: number;
  errors: number;
  errorRate: number;
  /** Error spans none of whose calls is an error span (errors that started at the role, not propagated from a callee). */
  ownErrors: number;
  /** ownErrors / spans: the role's `errors` probability. */
  ownErrorRate: number;
  /** Error spans taken as timeouts (timeouts.ts), or null when none could be told apart. */
  timeouts: Timeouts | null;
  parallelShare: number;
}

export interface InferredPath {
  /**
   * The path's own arrivals, when it has enough requests to tell bursts from
   * noise (PATH_ARRIVALS_MIN); else null and the aggregate's decide.
   */
  arrivals: Arrivals | null;
  /** Stages in role names: a role, or a parallel group's branches. */
  stages: PathStage[];
  /** The roles of `stages` in stage order (branches one after another). */
  services: string[];
  traces: number;
  share: number;
  /** Services cut off the path (a workload entry has at most 31 stages). */
  cut: number;
}

export interface Inferred {
  traces: number;
  spans: number;
  windowMs: number;
  roles: InferredRole[];
  edges: Array<Edge & { probability: number; fanout: number }>;
  paths: InferredPath[];
  /** Traces on paths beyond the ones written, spread over the written ones. */
  otherTraces: number;
  arrivals: Arrivals;
  link: Fit | null;
  /**
   * What `link` was fitted on: the hand-offs whose callee started them on
   * arrival (`direct`), and those that had queued there first (`queued`:
   * left out unless too few were direct, then `queuedIncluded`).
   */
  linkGaps: { direct: number; queued: number; queuedIncluded: boolean };
  size: Fit | null;
  latency: { p50: number; p90: number; p99: number };
  errorRate: number;
  notInferred: string[];
}

/** Most paths written as workload entries; the rest share their traffic out. */
export const MAX_PATHS = 50;
/** Fewest hand-off gaps to fit a link latency from. */
const MIN_GAPS = 30;

/**
 * What the derivation says about the mesh. `sampleRate`: the share of the
 * mesh's requests the traces hold (head sampling keeps 1 in 1/sampleRate);
 * the arrival rates written are the traced ones over it.
 */
export function infer(d: Derived, windowMsGiven: number | null, sampleRate = 1): Inferred {
  const notInferred: string[] = [];
  const starts = d.rootStartsMs;
  const span = starts.length > 1 ? starts[starts.length - 1]! - starts[0]! : 0;
  // n arrivals over an observed span: the span covers n − 1 gaps, so the window is span · n/(n − 1).
  const observed = starts.length > 1 ? (span * starts.length) / (starts.length - 1) : 1000;
  const windowMs = windowMsGiven === null ? observed : Math.min(windowMsGiven, observed);
  if (starts.length < 2) notInferred.push('duration and rate: one request only; a window of 1 s is assumed');
  const names = roleNames([...d.services.keys()]);
  const roles: InferredRole[] = [];
  for (const st of d.services.values()) {
    const instances = st.instances.size;
    roles.push({
      name: names.get(st.name)!,
      original: st.name,
      count: Math.max(1, instances),
      countFrom: instances > 0 ? `${instances} distinct instance id${instances === 1 ? '' : 's'}` : 'no instance ids in the trace: 1 replica assumed',
      workers: Math.max(1, st.peakConcurrency),
      own: fitSample(st.ownMs),
      spans: st.spans,
      errors: st.errors,
      errorRate: st.spans > 0 ? st.errors / st.spans : 0,
      ownErrors: st.ownErrors,
      ownErrorRate: st.spans > 0 ? st.ownErrors / st.spans : 0,
      timeouts: inferTimeouts(st),
      parallelShare: st.callingSpans > 0 ? st.parallelSpans / st.callingSpans : 0,
    });
    if (instances === 0) notInferred.push(`roles.${names.get(st.name)}.count: the trace names no instances of ${st.name}; 1 replica written`);
    const burst = errorBurst(st.ownErrorStartsMs, st.ownErrors, starts[0] ?? 0, windowMs);
    if (burst !== null) {
      notInferred.push(
        `roles.${names.get(st.name)}.errors: ${Math.round(ERROR_BURST_SHARE * 100)}% of its ${st.ownErrors} own errors fall between ${secs(burst.fromMs)} and ${secs(burst.toMs)} s of the trace's ${secs(windowMs)} s: a fault more than a steady rate, which the rate written spreads over the whole run (a faults entry models it)`,
      );
    }
    if (st.madeUpSpans > 0 && st.madeUpSpans === st.spans) {
      notInferred.push(
        `roles.${names.get(st.name)}: ${st.name} has no record of its own in the trace, only its calls: its spans were made to run from its first call's start to its last call's end, so the service time written is the gaps between its calls (network and its own handling together) and its workers the peak of its requests in flight`,
      );
    }
  }
  roles.sort((a, b) => a.name.localeCompare(b.name));
  const edges = [...d.edges.values()]
    .map((e) => {
      // Per span of the caller's first tries: a retried try's calls are in no edge.
      const from = d.services.get(e.from);
      const parentSpans = from === undefined ? 1 : Math.max(1, from.spans - from.retriedSpans);
      return { ...e, from: names.get(e.from)!, to: names.get(e.to)!, probability: e.parents / parentSpans, fanout: e.calls / Math.max(1, e.parents) };
    })
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  // A path on which every request was stopped by an error (derive.ts) was cut short by it: it is set aside
  // and its traffic spread like a rarer path's, since a role's `errors` stops messages the same way.
  const { counts, stopped } = readPaths(d);
  const complete = [...counts.entries()].filter(([p, n]) => n > (stopped.get(p) ?? 0));
  const candidates = complete.length > 0 ? complete : [...counts.entries()];
  let cutShortTraces = 0;
  for (const [p, n] of counts) if (complete.length > 0 && n <= (stopped.get(p) ?? 0)) cutShortTraces += n;
  const allPaths = candidates.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = allPaths.slice(0, MAX_PATHS);
  const keptTraces = kept.reduce((s, [, n]) => s + n, 0);
  const otherTraces = d.traces - keptTraces;
  const reread = d.paths.size > 0 ? rereadRequests(d) : 0;
  if (reread > 0) {
    notInferred.push(`${reread} requests (${pct(reread / d.traces)}) were hand-off joins that could be read more than one way (a branch's stage began after every other branch had ended, SPEC §11.2): each is counted on the reading most requests take`);
  }
  if (cutShortTraces > 0) {
    notInferred.push(`${cutShortTraces} requests (${pct(cutShortTraces / d.traces)}) stopped at an error (an error span that made no call, handed off to or the root: nothing carried the message on) on paths no request completed: these paths are cut short by the error, not written; their traffic is spread over the ${kept.length} written paths, whose roles' errors stop messages the same way`);
  }
  const rarer = otherTraces - cutShortTraces;
  if (rarer > 0) {
    notInferred.push(`${allPaths.length - kept.length} rarer paths (${pct(rarer / d.traces)} of requests) are not written; their traffic is spread over the ${kept.length} written paths`);
  }
  const ownStarts = pathStarts(d, new Set(kept.map(([p]) => p)));
  const paths = kept.map(([p, n]) => {
    const { path, cut } = cutPath(renamePath(parsePathKey(p), (s) => names.get(s)!));
    const mine = ownStarts.get(p) ?? [];
    const arrivals = mine.length >= PATH_ARRIVALS_MIN ? fitArrivals(mine, windowMs) : null;
    return { arrivals, stages: path, services: flatPath(path), traces: n, share: n / keptTraces, cut };
  });
  if (paths.some((p) => p.cut > 0)) notInferred.push(`paths of more than ${MAX_STAGES} services (branch roles counted each) are cut at the last whole stage that fits`);
  if (d.branchesCutRequests > 0) {
    notInferred.push(`${d.branchesCutRequests} requests (${pct(d.branchesCutRequests / d.traces)}) made more than ${MAX_BRANCHES} parallel calls at once: a group keeps its first ${MAX_BRANCHES} by start, the later calls are cut`);
  }
  if (d.serialisedRequests > 0) {
    notInferred.push(`${d.serialisedRequests} requests (${pct(d.serialisedRequests / d.traces)}) made parallel calls inside a branch of a parallel group: a scenario has one level of groups, so these run one after another in the branch (end-to-end latency is overstated there)`);
  }
  const retried = d.retriedCalls + d.retriedRoots;
  if (retried > 0) {
    const own = d.retriedRoots > 0 ? `; ${d.retriedRoots} of them sent as traces of their own` : '';
    notInferred.push(`${retried} retried tries (http.request.resend_count ≥ 1${own}) are kept out of the paths, the calls per request and the arrivals: a scenario's retries come from its retry config, for messages that wait for a reply or an ack, and the workload written has neither (add reply or delivery: at-least-once to model them); their spans count in their roles' service times and errors`);
  }
  // The network's share of a hand-off's gap: the gaps of messages the callee
  // started on arrival. A queued message's gap holds its wait too, which the
  // model's own queue at the callee reproduces: counted in the link as well it
  // would be counted twice. With too few direct gaps, all of them, said so.
  const direct = d.handoffGapsMs;
  const queued = d.queuedHandoffGapsMs;
  const queuedIncluded = direct.length < MIN_GAPS && direct.length + queued.length >= MIN_GAPS;
  const gaps = queuedIncluded ? [...direct, ...queued] : direct;
  const link = gaps.length >= MIN_GAPS ? fitSample(gaps) : null;
  if (queued.length > 0 && link !== null) {
    notInferred.push(
      queuedIncluded
        ? `links.latency: ${queued.length} of ${direct.length + queued.length} hand-offs started as another span on their callee replica ended (they had queued there), too many to leave out: the latency includes that queueing, which the model's queues add again`
        : `links.latency: ${queued.length} of ${direct.length + queued.length} hand-offs started as another span on their callee replica ended (they had queued there): left out of the link latency, whose gaps are then the network's time alone`,
    );
  }
  if (link === null) {
    notInferred.push(
      d.nestedCalls > 0
        ? 'links.latency: calls are nested in their callers, so network time is inside the callers\' own time; links written with no latency'
        : 'links.latency: too few hand-offs to fit; links written with no latency',
    );
  }
  const size = d.rootBytes.length >= 1 ? fitSample(d.rootBytes) : null;
  if (size === null) notInferred.push('workload[].size: no request size attribute (http.request.body.size, messaging.message.body.size, rpc.request.size) on root spans; 1 KB written');
  notInferred.push('links.bandwidth and links.loss: not in traces; unlimited bandwidth, no loss written');
  notInferred.push('slo: a service level is a goal, not a measurement; none written (add slo.p99 and slo.deliveryRatio)');
  notInferred.push('config: timeouts, retries, balancer and the rest are not in traces; the defaults (SPEC §5) are written');
  if (d.services.size > 0 && [...d.services.values()].some((s) => s.errors > 0)) {
    notInferred.push('timeouts: a timeout is configuration, not a property of a role; the timeout rates observed are in the comments beside each role and counted in its errors, no timeout is written');
    const unsure = roles.filter((r) => r.errors > 0 && r.timeouts === null).map((r) => r.name);
    if (unsure.length > 0) {
      notInferred.push(`timeouts of ${unsure.join(', ')}: their error spans have no common ceiling of duration, so timeouts are not told apart from other errors`);
    }
  }
  notInferred.push(
    sampleRate < 1
      ? `arrivals: the traces hold ${pct(sampleRate)} of the requests (--sample-rate ${sampleRate}): the rates written are the traced ones over that share; the peak spans open at once (workers) and the counts in these comments are the sampled traces' own, lower than the mesh's`
      : 'arrivals: the rates are the traced requests\' own; traces that keep only a share of the requests (head sampling) understate them by that share: give it with --sample-rate',
  );
  // Errors written per try, and no retries to answer them: the model loses each one, where the traced clients' retries answered most.
  const traced = d.traces > 0 ? d.failedTraces / d.traces : 0;
  const modelled = expectedLoss(roles, paths);
  if (d.retriedCalls + d.retriedRoots > 0 && modelled > 2 * traced && modelled - traced > 0.005) {
    notInferred.push(
      `errors: the roles' errors are written per try, and the workload written retries nothing: each error loses its request, about ${pct(modelled)} of them end to end, where the traced requests failed ${pct(traced)} (their clients' retries answered the rest); add reply and a retry config to model them`,
    );
  }
  notInferred.push('own times are taken as service times: time a request queued inside a service before its span started is not seen, and time queued after is counted as work');
  const lat = d.latencyMs.slice().sort((a, b) => a - b);
  const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0;
  return {
    traces: d.traces,
    spans: d.spans,
    windowMs,
    roles,
    edges,
    paths,
    otherTraces,
    arrivals: unsampled(fitArrivals(starts, windowMs), sampleRate),
    link,
    linkGaps: { direct: direct.length, queued: queued.length, queuedIncluded },
    size,
    latency: { p50: q(0.5), p90: q(0.9), p99: q(0.99) },
    errorRate: d.traces > 0 ? d.failedTraces / d.traces : 0,
    notInferred,
  };
}

/**
 * Requests per path key, and of them those stopped by an error, each request
 * a hand-off join left more than one reading of (derive.ts `readings`)
 * counted on the reading most requests were counted on (its first on a tie).
 */
function readPaths(d: Derived): { counts: Map<string, number>; stopped: Map<string, number> } {
  const counts = new Map(d.paths);
  const stopped = new Map(d.stoppedPaths);
  const move = (map: Map<string, number>, from: string, to: string, m: number): void => {
    if (m === 0) return;
    const left = (map.get(from) ?? 0) - m;
    if (left > 0) map.set(from, left);
    else map.delete(from);
    map.set(to, (map.get(to) ?? 0) + m);
  };
  for (const [key, r] of d.readings) {
    const best = bestReading(d, key);
    const first = splitReadings(key)[0]!;
    if (best === first || !counts.has(first)) continue;
    move(counts, first, best, r.requests);
    move(stopped, first, best, r.stopped);
  }
  return { counts, stopped };
}

function bestReading(d: Derived, key: string): string {
  const [first, ...others] = splitReadings(key);
  let best = first!;
  let bestN = d.paths.get(best) ?? 0;
  for (const k of others) {
    const n = d.paths.get(k) ?? 0;
    if (n > bestN) [best, bestN] = [k, n];
  }
  return best;
}

/** Requests counted on another reading than their first. */
function rereadRequests(d: Derived): number {
  let n = 0;
  for (const [key, r] of d.readings) if (bestReading(d, key) !== splitReadings(key)[0]) n += r.requests;
  return n;
}

/** Service names → role names (plain words, SPEC §4): other characters become '-', a leading non-letter gets 's'. */
export function roleNames(services: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const s of services.slice().sort()) {
    let name = s.replace(/[^\w.-]/g, '-');
    if (!/^[A-Za-z]/.test(name)) name = `s${name}`;
    if (name === 'external') name = 'external-service';
    if (name.length > 64) name = name.slice(0, 64);
    let unique = name;
    for (let i = 2; used.has(unique); i++) unique = `${name}-${i}`;
    used.add(unique);
    out.set(s, unique);
  }
  return out;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.001 && x > 0 ? 3 : 1)}%`;
}


/** Arrivals of a mesh whose traces hold `share` of its requests: the rates over that share (the burst and gap lengths are the traced ones). */
function unsampled(a: Arrivals, share: number): Arrivals {
  if (share === 1) return a;
  const mmpp = a.mmpp === null ? null : { ...a.mmpp, rate: a.mmpp.rate / share, burstRate: a.mmpp.burstRate / share };
  return { ...a, ratePerSec: a.ratePerSec / share, mmpp };
}

/** Own errors are told to cluster when this share of them … */
const ERROR_BURST_SHARE = 0.9;
/** … falls within this share of the trace's window, */
const ERROR_BURST_WINDOW = 0.25;
/** and there are at least this many. */
const ERROR_BURST_MIN = 20;

/**
 * The shortest stretch (ms from `t0`) holding ERROR_BURST_SHARE of the error
 * start times, when it is at most ERROR_BURST_WINDOW of the window: errors
 * from a fault in one stretch of the trace, not a rate through it. Null
 * otherwise, or with fewer than ERROR_BURST_MIN errors. `times` may be a
 * uniform sample of `count` (a reservoir): the shares hold on it.
 */
function errorBurst(times: readonly number[], count: number, t0: number, windowMs: number): { fromMs: number; toMs: number } | null {
  if (count < ERROR_BURST_MIN || times.length < ERROR_BURST_MIN || !(windowMs > 0)) return null;
  const sorted = Float64Array.from(times).sort();
  const k = Math.ceil(ERROR_BURST_SHARE * sorted.length);
  let best = 0;
  for (let i = 1; i + k - 1 < sorted.length; i++) if (sorted[i + k - 1]! - sorted[i]! < sorted[best + k - 1]! - sorted[best]!) best = i;
  const from = sorted[best]! - t0;
  const to = sorted[best + k - 1]! - t0;
  return to - from <= ERROR_BURST_WINDOW * windowMs ? { fromMs: from, toMs: to } : null;
}

/** ms as seconds with the digits that matter. */
function secs(ms: number): string {
  return String(Number((ms / 1000).toPrecision(3)));
}

/** Requests a path needs for its own arrival process (the IDC test's ten bins of ten). */
export const PATH_ARRIVALS_MIN = 100;

/** Start times of the requests on each of `keys` (their first reading), ascending. */
function pathStarts(d: Derived, keys: ReadonlySet<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < d.requestPaths.length; i++) {
    const pid = d.requestPaths[i]!;
    const key = pid >= 0 ? d.pathList[pid] : undefined;
    if (key === undefined || !keys.has(key)) continue;
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push(d.requestStartsMs[i]!);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/** The share of requests the written scenario loses to its roles' errors alone: each path's chance of an error at some stage, weighted by its share. */
function expectedLoss(roles: readonly InferredRole[], paths: ReadonlyArray<Pick<InferredPath, 'services' | 'share'>>): number {
  const rate = new Map(roles.map((r) => [r.name, r.ownErrors > 0 ? r.ownErrorRate : 0]));
  let lost = 0;
  for (const p of paths) {
    let ok = 1;
    for (const s of p.services) ok *= 1 - (rate.get(s) ?? 0);
    lost += p.share * (1 - ok);
  }
  return lost;
}
