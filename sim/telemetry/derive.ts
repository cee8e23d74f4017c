/**
 * From spans to what a scenario needs: per trace, its tree of calls between
 * services; per service, own times, replicas, peak concurrency, errors; the
 * call graph (edge probability and fan-out per parent span); the paths
 * (service sequences) requests take; the gaps of hand-offs; end-to-end
 * latencies; the start of each root request.
 *
 * Rules (SPEC §11):
 * - A span whose service is its parent's (an internal or a client span) is
 *   folded into the parent: its children hang from the parent, and it is not
 *   a call. A call is a span of another service than its parent's.
 * - Own time = duration − the part of it covered by the union of its calls'
 *   intervals (a nested call's time is waiting, not work; a hand-off that
 *   starts after the span ends takes nothing off).
 * - A span's calls are parallel when they overlap in time or are hand-offs of
 *   the same span; a request's path keeps them as a parallel group
 *   (request-path.ts), keyed by the one path key (path-key.ts).
 * - An error span is the service's own error when none of its calls is an
 *   error span (it started there, not propagated from a callee). A request
 *   with an own error at a span that made no call and was handed off to (or
 *   is the root) stopped there: no caller waited to carry on, so its path is
 *   cut short by the error, and is counted apart (`stoppedPaths`).
 * - A span whose parent never appears is a root (counted as an orphan); a
 *   child starting before its parent is shifted to the parent's start (clock
 *   skew, counted); a second span with the same id in a trace is skipped.
 */
import type { Diagnostics } from './diagnostics.js';
import { flatKey, pathKey, readingsKey } from './path-key.js';
import { PeakTracker } from './peak.js';
import { hasParallelCalls, requestPath, subtreeEnd, type CallNode, type PathShape } from './request-path.js';
import { DoubleList, Reservoir } from './reservoir.js';
import { ENTRY_SPAN_PREFIX, type Span } from './span.js';

export interface ServiceStats {
  name: string;
  ownMs: number[];
  spans: number;
  errors: number;
  /** Error spans none of whose calls is an error span: errors that started here. */
  ownErrors: number;
  instances: Set<string>;
  /** Peak number of this service's spans open at once on one instance. */
  peakConcurrency: number;
  /** Spans with parallel calls (overlapping, or hand-offs of the span). */
  parallelSpans: number;
  /** Spans that made at least one call. */
  callingSpans: number;
  /** Durations of its error spans, ms (a reservoir of `errors`). */
  errorDurationsMs: number[];
  /** Its longest span, ms. */
  maxDurationMs: number;
  /** Spans an importer made up for it, having no record of its own (`ENTRY_SPAN_PREFIX`). */
  madeUpSpans: number;
  /** Start times of its own error spans, ms from the epoch (a reservoir of `ownErrors`). */
  ownErrorStartsMs: number[];
  /** Its spans in retried tries (counted in `spans`; their calls are in no edge). */
  retriedSpans: number;
}

export interface Edge {
  from: string;
  to: string;
  /** Calls made along the edge. */
  calls: number;
  /** Spans of `from` that made at least one such call. */
  parents: number;
}

export interface Derived {
  spans: number;
  traces: number;
  services: Map<string, ServiceStats>;
  edges: Map<string, Edge>;
  /** Path key (path-key.ts: services in call order, depth first, parallel calls as groups) → number of traces. */
  paths: Map<string, number>;
  /** Start of each root request, ms since the epoch, sorted. */
  rootStartsMs: number[];
  /**
   * Each request in the order folded in (not sorted): its start, ms since the
   * epoch, and its path (an index into `pathList`; -1 beyond MAX_DISTINCT_PATHS).
   * For a replay of the trace's own arrivals (replay.ts).
   */
  requestStartsMs: Float64Array;
  requestPaths: Float64Array;
  /**
   * Requests a hand-off join left more than one reading of (request-path.ts):
   * their readings' path keys, the one they are counted on in `paths` first
   * (path-key.ts readingsKey) → number of requests, and of them those stopped
   * by an error (as `stoppedPaths`).
   */
  readings: Map<string, { requests: number; stopped: number }>;
  /** Of `paths`, the requests stopped short by an error (see the header). */
  stoppedPaths: Map<string, number>;
  /** The paths' keys in the order first seen; `paths` counts them. */
  pathList: string[];
  /** Requests whose path has a parallel group; of them, those with parallel calls inside a branch (serialised) and those with a group of more than 8 calls (cut). */
  groupedRequests: number;
  serialisedRequests: number;
  branchesCutRequests: number;
  /** End-to-end latency of each answered request (last end − first start; failed ones, `failedTraces`, left out), ms. */
  latencyMs: number[];
  /** Requests failed: a span in error in their last try, each call counted by its last try (`failedTry`). */
  failedTraces: number;
  /**
   * Gaps between a span's end and the start of a hand-off it made (a call
   * starting after it ended), ms: those whose callee started it on arrival
   * (the network's time), and those whose start met the end of another span
   * on the callee replica, having queued there (peak.ts).
   */
  handoffGapsMs: number[];
  queuedHandoffGapsMs: number[];
  /** Request sizes of root spans that say, bytes. */
  rootBytes: number[];
  /** Calls that overlapped their caller (nested RPC) vs started after it (hand-offs). */
  nestedCalls: number;
  handoffCalls: number;
  /**
   * Later tries of a call (`http.request.resend_count` ≥ 1), and roots that are
   * such tries: kept out of paths, call counts and arrivals; their spans count
   * in their services' times and errors.
   */
  retriedCalls: number;
  retriedRoots: number;
}

type Node = CallNode;

/** Most distinct paths counted; requests on paths first seen beyond are counted as requests, not as a path. */
export const MAX_DISTINCT_PATHS = 10_000;

/** The spans of whole traces, all in memory: one batch through the derivation. */
export function derive(spans: readonly Span[], diag: Diagnostics, windowMs = Infinity): Derived {
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) {
    let list = byTrace.get(s.traceId);
    if (list === undefined) byTrace.set(s.traceId, (list = []));
    list.push(s);
  }
  const dv = new Derivation(diag, windowMs);
  dv.addTraces([...byTrace.values()]);
  return dv.finish();
}

interface ServiceAcc {
  name: string;
  own: Reservoir;
  spans: number;
  errors: number;
  ownErrors: number;
  /** Per instance ('' when the format names none): its spans' intervals, for the peak concurrency. */
  peaks: Map<string, PeakTracker>;
  parallelSpans: number;
  callingSpans: number;
  errDur: Reservoir;
  ownErrAt: Reservoir;
  maxDur: number;
  madeUp: number;
  retried: number;
  /** Its edges by callee. */
  calls: Map<string, Edge>;
}

/**
 * The derivation fed whole traces in batches, keeping only aggregates: per
 * service a reservoir of own times and counters, per edge counters, per path a
 * count, a reservoir each of latencies, hand-off gaps and request sizes, and
 * the root starts (8 bytes a request). The spans of a batch are dropped once
 * it is folded in. One batch of every trace gives what `derive` always gave.
 */
export class Derivation {
  private readonly services = new Map<string, ServiceAcc>();
  private readonly edges = new Map<string, Edge>();
  private readonly paths = new Map<string, number>();
  private readonly stoppedPaths = new Map<string, number>();
  private readonly readings = new Map<string, { requests: number; stopped: number }>();
  private readonly requestStarts = new DoubleList();
  private readonly requestPaths = new DoubleList();
  private readonly pathIds = new Map<string, number>();
  private readonly pathList: string[] = [];
  /** A request's walk: reused from one request to the next. */
  private readonly pathBuf: string[] = [];
  private readonly stackBuf: Node[] = [];
  private readonly latency = new Reservoir();
  /** Hand-off gaps whose callee started the message on arrival (the network's time), and those it had queued first (peak.ts). */
  private readonly gaps = new Reservoir();
  private readonly queuedGaps = new Reservoir();
  private readonly onGap = (gap: number, queued: boolean): void => (queued ? this.queuedGaps : this.gaps).add(gap);
  private readonly bytes = new Reservoir();
  private spans = 0;
  private traces = 0;
  private failedTraces = 0;
  private nestedCalls = 0;
  private handoffCalls = 0;
  private retriedCalls = 0;
  private retriedRoots = 0;
  /** Retried subtrees met in a request's walk, walked for their services' figures afterwards. */
  private readonly retryBuf: Node[] = [];
  private groupedRequests = 0;
  private serialisedRequests = 0;
  private branchesCutRequests = 0;
  private readonly shape: PathShape;
  private readonly otherShape: PathShape;
  /** The first batch's earliest root start: `windowMs` counts from it. */
  private t0 = NaN;

  constructor(
    private readonly diag: Diagnostics,
    private readonly windowMs = Infinity,
  ) {
    this.shape = { serialised: false, branchesCut: false, joins: [], slackMs: 0 };
    this.otherShape = { serialised: false, branchesCut: false, joins: [], slackMs: 0 };
  }

  /**
   * The traces' time resolution, ms (0 by default): calls overlapping by less
   * are read one after the other, and a call starting less before its caller
   * ends as a hand-off (request-path.ts). Set before the traces it applies to;
   * the path shapes hold it.
   */
  get slackMs(): number {
    return this.shape.slackMs ?? 0;
  }

  set slackMs(ms: number) {
    this.shape.slackMs = ms;
    this.otherShape.slackMs = ms;
  }

  /** Folds in whole traces (each the list of its spans). */
  addTraces(lists: readonly Span[][]): void {
    const roots: Node[] = [];
    for (const list of lists) for (const r of buildTree(list, this.diag)) roots.push(r);
    if (Number.isNaN(this.t0) && roots.length > 0) {
      let t0 = Infinity;
      for (const r of roots) t0 = Math.min(t0, r.span.startMs);
      this.t0 = t0;
    }
    const finals = finalTries(roots);
    for (const root of roots) if (root.span.startMs <= this.t0 + this.windowMs) this.addRequest(root, finals.get(root));
  }

  /** True once the first batch set the start that `windowMs` counts from: traces may then come one at a time. */
  get started(): boolean {
    return !Number.isNaN(this.t0);
  }

  /**
   * Folds in one whole trace, once `started`: what a batch does with it, without
   * holding the batch's trees at once (a batch's trees built together outlived
   * the young generation and were copied by the collector). Keeps no reference
   * to the spans: the caller may reuse them (span-store.ts).
   */
  addTrace(list: Span[]): void {
    if (!this.started) return this.addTraces([list]);
    const roots = buildTree(list, this.diag);
    const finals = finalTries(roots);
    for (const root of roots) if (root.span.startMs <= this.t0 + this.windowMs) this.addRequest(root, finals.get(root));
  }

  /** Lets the peak concurrency sweeps run up to `watermark`: no span still to come starts or ends before it. */
  sweep(watermark: number): void {
    for (const st of this.services.values()) for (const p of st.peaks.values()) p.sweep(watermark);
  }

  finish(): Derived {
    this.sweep(Infinity);
    const services = new Map<string, ServiceStats>();
    for (const [name, a] of this.services) {
      const instances = new Set<string>();
      let peak = 0;
      for (const [inst, p] of a.peaks) {
        if (inst !== '') instances.add(inst);
        peak = Math.max(peak, p.max);
      }
      services.set(name, {
        name, ownMs: a.own.values(), spans: a.spans, errors: a.errors, ownErrors: a.ownErrors, instances, peakConcurrency: peak,
        parallelSpans: a.parallelSpans, callingSpans: a.callingSpans, errorDurationsMs: a.errDur.values(), maxDurationMs: a.maxDur, madeUpSpans: a.madeUp,
        ownErrorStartsMs: a.ownErrAt.values(), retriedSpans: a.retried,
      });
    }
    return {
      spans: this.spans,
      traces: this.traces,
      services,
      edges: this.edges,
      paths: this.paths,
      stoppedPaths: this.stoppedPaths,
      readings: this.readings,
      rootStartsMs: Array.from(this.requestStarts.view().slice().sort()),
      requestStartsMs: this.requestStarts.view(),
      requestPaths: this.requestPaths.view(),
      pathList: this.pathList,
      groupedRequests: this.groupedRequests,
      serialisedRequests: this.serialisedRequests,
      branchesCutRequests: this.branchesCutRequests,
      latencyMs: this.latency.values(),
      failedTraces: this.failedTraces,
      handoffGapsMs: this.gaps.values(),
      queuedHandoffGapsMs: this.queuedGaps.values(),
      rootBytes: this.bytes.values(),
      nestedCalls: this.nestedCalls,
      handoffCalls: this.handoffCalls,
      retriedCalls: this.retriedCalls,
      retriedRoots: this.retriedRoots,
    };
  }

  /** One request from its first try's `root`; `finalTry`: the root of its last try in the same trace, when the client tried again. */
  private addRequest(root: Node, finalTry?: Node): void {
    if (isRetry(root.span)) {
      // A client's later try sent as a trace of its own: not a new request.
      this.retriedRoots++;
      this.addRetried([root]);
      return;
    }
    this.traces++;
    const path = this.pathBuf;
    path.length = 0;
    let first = Infinity;
    let last = -Infinity;
    let grouped = false;
    // An error at the root, or at a hand-off, that made no call: the message stopped there.
    let stopped = root.span.error && root.children.length === 0;
    const stack = this.stackBuf;
    stack.length = 0;
    stack.push(root);
    const retries = this.retryBuf;
    retries.length = 0;
    while (stack.length > 0) {
      const node = stack.pop()!;
      const s = node.span;
      path.push(s.service);
      if (s.startMs < first) first = s.startMs;
      if (s.endMs > last) last = s.endMs;
      const st = this.countSpan(node);
      const kids = node.children;
      if (node.retried !== undefined) for (const r of node.retried) retries.push(r);
      if (kids.length > 0) st.callingSpans++;
      if (kids.length > 1 && hasParallelCalls(kids, s.endMs, this.slackMs)) {
        st.parallelSpans++;
        grouped = true;
      }
      // Wide fan-outs look their callees up in a set; a few calls compare with the ones before.
      const called = kids.length > 8 ? new Set<string>() : null;
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i]!;
        const e = this.edge(st, k.span.service);
        e.calls++;
        let seen = false;
        if (called !== null) {
          seen = called.has(k.span.service);
          called.add(k.span.service);
        } else for (let j = 0; j < i && !seen; j++) seen = kids[j]!.span.service === k.span.service;
        if (!seen) e.parents++;
        if (k.span.startMs >= s.endMs - this.slackMs) {
          if (k.span.error && k.children.length === 0) stopped = true;
          this.handoffCalls++;
          // Judged by the callee replica's sweep: whether it queued there first.
          this.peakOf(this.service(k.span.service), k.span.instance).addHandoff(k.span.startMs, Math.max(0, k.span.startMs - s.endMs));
        } else this.nestedCalls++;
      }
      // Depth first in call order: the first call is walked first.
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
    if (retries.length > 0) {
      const [lo, hi] = this.addRetried(retries);
      if (lo < first) first = lo;
      if (hi > last) last = hi;
    }
    if (root.span.bytes >= 0) this.bytes.add(root.span.bytes);
    // The client had its answer when its last try ended: an abandoned try's
    // spans ending later (a message stuck in a queue) are not its wait, and
    // that try's outcome is the request's.
    if (finalTry !== undefined) last = subtreeEnd(finalTry, true);
    // Latency is the answered requests' (as a run's counts delivered messages
    // only): a failed request's wait is how long it took to fail, which would
    // read as latency where requests fail.
    if (failedTry(finalTry ?? root)) this.failedTraces++;
    else this.latency.add(last - first);
    // A path of single services is keyed from the walk; one with a group is walked again for its structure.
    let p: string;
    if (!grouped) p = flatKey(path);
    else {
      const shape = this.shape;
      shape.serialised = false;
      shape.branchesCut = false;
      p = pathKey(requestPath(root, shape));
      this.groupedRequests++;
      if (shape.serialised) this.serialisedRequests++;
      if (shape.branchesCut) this.branchesCutRequests++;
      if (shape.joins.some((n) => n > 1)) this.addReadings(root, p, shape.joins.slice(), stopped);
    }
    if (stopped && this.paths.has(p)) this.stoppedPaths.set(p, (this.stoppedPaths.get(p) ?? 0) + 1);
    const n = this.paths.get(p);
    if (n !== undefined) this.paths.set(p, n + 1);
    else if (this.paths.size < MAX_DISTINCT_PATHS) {
      this.paths.set(p, 1);
      if (stopped) this.stoppedPaths.set(p, 1);
      this.pathIds.set(p, this.pathList.length);
      this.pathList.push(p);
    }
    this.requestStarts.push(root.span.startMs);
    this.requestPaths.push(this.pathIds.get(p) ?? -1);
  }

  /**
   * The services' figures of retried subtrees (spans, own times, errors,
   * concurrency): work the mesh did, though not a path a request takes.
   * Returns their earliest start and latest end.
   */
  private addRetried(nodes: Node[]): [number, number] {
    let first = Infinity;
    let last = -Infinity;
    const stack = nodes.slice();
    while (stack.length > 0) {
      const node = stack.pop()!;
      const s = node.span;
      if (s.startMs < first) first = s.startMs;
      if (s.endMs > last) last = s.endMs;
      this.countSpan(node).retried++;
      for (const c of node.children) stack.push(c);
      if (node.retried !== undefined) for (const c of node.retried) stack.push(c);
    }
    return [first, last];
  }

  /**
   * One span's figures in its service — spans, the longest, errors (and
   * whether the error started there: none of its calls failed), concurrency
   * and own time, its calls sorted by start on the way — and its retried
   * calls counted. Returns the service's accumulator.
   */
  private countSpan(node: Node): ServiceAcc {
    const s = node.span;
    this.spans++;
    const st = this.service(s.service);
    st.spans++;
    if (s.spanId.startsWith(ENTRY_SPAN_PREFIX)) st.madeUp++;
    const dur = s.endMs - s.startMs;
    if (dur > st.maxDur) st.maxDur = dur;
    const kids = node.children;
    if (s.error) {
      st.errors++;
      st.errDur.add(dur);
      let own = true;
      for (let i = 0; i < kids.length && own; i++) own = !kids[i]!.span.error;
      if (own) {
        st.ownErrors++;
        st.ownErrAt.add(s.startMs);
      }
    }
    this.peakOf(st, s.instance).add(s.startMs, s.endMs);
    if (kids.length > 1) kids.sort((a, b) => a.span.startMs - b.span.startMs);
    st.own.add(ownTime(s, timedCalls(node)));
    if (node.retried !== undefined) this.retriedCalls += node.retried.length;
    return st;
  }

  /** Counts the request's other readings, one per later possible join of each group (request-path.ts). */
  private addReadings(root: Node, p: string, joins: number[], stopped: boolean): void {
    const keys = [p];
    for (let g = 0; g < joins.length; g++) {
      for (let c = 1; c < joins[g]!; c++) {
        const k = pathKey(requestPath(root, this.otherShape, [g, c]));
        if (!keys.includes(k)) keys.push(k);
      }
    }
    if (keys.length < 2) return;
    const key = readingsKey(keys);
    let r = this.readings.get(key);
    if (r === undefined) {
      if (this.readings.size >= MAX_DISTINCT_PATHS) return;
      this.readings.set(key, (r = { requests: 0, stopped: 0 }));
    }
    r.requests++;
    if (stopped) r.stopped++;
  }

  private peakOf(st: ServiceAcc, instance: string): PeakTracker {
    let peak = st.peaks.get(instance);
    if (peak === undefined) st.peaks.set(instance, (peak = new PeakTracker(this.onGap)));
    return peak;
  }

  private service(name: string): ServiceAcc {
    let st = this.services.get(name);
    if (st === undefined) {
      st = {
        name, own: new Reservoir(), spans: 0, errors: 0, ownErrors: 0, peaks: new Map(), parallelSpans: 0, callingSpans: 0,
        errDur: new Reservoir(), ownErrAt: new Reservoir(), maxDur: 0, madeUp: 0, retried: 0, calls: new Map(),
      };
      this.services.set(name, st);
    }
    return st;
  }

  private edge(from: ServiceAcc, to: string): Edge {
    let e = from.calls.get(to);
    if (e === undefined) {
      e = { from: from.name, to, calls: 0, parents: 0 };
      from.calls.set(to, e);
      this.edges.set(`${from.name}\u0000${to}`, e);
    }
    return e;
  }
}

/** A trace's roots, with same-service spans folded into their parents, skew fixed and orphans counted. */
function buildTree(list: Span[], diag: Diagnostics): Node[] {
  // Most traces are a few spans: a linear search beats building a map for them.
  const small = list.length <= SMALL_TRACE;
  const byId = small ? null : new Map<string, Node>();
  const nodes: Node[] = [];
  const find = (id: string): Node | undefined => {
    if (byId !== null) return byId.get(id);
    for (let i = 0; i < nodes.length; i++) if (nodes[i]!.span.spanId === id) return nodes[i];
    return undefined;
  };
  for (const s of list) {
    if (find(s.spanId) !== undefined) {
      diag.add('duplicate', s.where, `span ${s.spanId}`);
      continue;
    }
    const node: Node = { span: s, children: NO_CHILDREN };
    nodes.push(node);
    byId?.set(s.spanId, node);
  }
  const roots: Node[] = [];
  for (const node of nodes) {
    const pid = node.span.parentId;
    const parent = pid === '' ? undefined : find(pid);
    if (parent === undefined || parent === node) {
      if (pid !== '') diag.add('orphan', node.span.where, parent === node ? `span ${pid} is its own parent` : `span ${node.span.spanId}: parent ${pid}`);
      roots.push(node);
    } else if (parent.children === NO_CHILDREN) parent.children = [node];
    else parent.children.push(node);
  }
  for (const r of roots) {
    fixSkew(r, diag);
    fold(r);
  }
  return roots;
}

/** The children of a leaf, shared (never added to: a node's first child gives it a list of its own), so that leaves cost no list. */
const NO_CHILDREN: Node[] = [];

const SMALL_TRACE = 16;

function fixSkew(node: Node, diag: Diagnostics): void {
  // Iterative: traces can be deep.
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const c of n.children) {
      if (c.span.startMs < n.span.startMs) {
        diag.add('skew', c.span.where, `starts ${(n.span.startMs - c.span.startMs).toFixed(3)} ms before its parent`);
        shift(c, n.span.startMs - c.span.startMs);
      }
      stack.push(c);
    }
  }
}

/** Shifts a subtree later by `ms` (its relative timing kept). */
function shift(node: Node, ms: number): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    n.span = { ...n.span, startMs: n.span.startMs + ms, endMs: n.span.endMs + ms };
    for (const c of n.children) stack.push(c);
  }
}

/**
 * Children of the same service as their parent are folded into it, recursively,
 * in place (one pass, no recursion: traces can be deep). A node's calls come
 * out in the order a stack walk of its children gives (last first); they are
 * sorted by start where used. Calls under a retried try (a span with a resend
 * count, folded or not) go to the node's `retried` instead.
 */
function fold(root: Node): Node {
  const stack = [root];
  // Per open node: whether it lies under a retried try.
  const open: Node[] = [];
  const openRetry: boolean[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const kids = node.children;
    if (kids.length === 0) continue;
    const service = node.span.service;
    let plain = true;
    for (let i = 0; i < kids.length && plain; i++) plain = kids[i]!.span.service !== service && !isRetry(kids[i]!.span);
    if (plain) kids.reverse();
    else {
      const calls: Node[] = [];
      let retried: Node[] | null = null;
      for (const c of kids) {
        open.push(c);
        openRetry.push(false);
      }
      while (open.length > 0) {
        const c = open.pop()!;
        const retry = openRetry.pop()! || isRetry(c.span);
        if (c.span.service === service) {
          for (const g of c.children) {
            open.push(g);
            openRetry.push(retry);
          }
        } else if (retry) (retried ??= []).push(c);
        else calls.push(c);
      }
      node.children = calls;
      if (retried !== null) node.retried = retried;
    }
    for (const c of node.children) stack.push(c);
    if (node.retried !== undefined) for (const c of node.retried) stack.push(c);
  }
  return root;
}

/**
 * For each first try among `roots` (whole traces' roots), the root of the
 * client's last try of it: a root with a resend count in the same trace that
 * starts after it, the latest such. Only where the trace has one first try
 * (otherwise which try answers which is not known).
 */
function finalTries(roots: readonly Node[]): Map<Node, Node> {
  const out = new Map<Node, Node>();
  if (!roots.some((r) => isRetry(r.span))) return out;
  const byTrace = new Map<string, Node[]>();
  for (const r of roots) {
    const list = byTrace.get(r.span.traceId);
    if (list === undefined) byTrace.set(r.span.traceId, [r]);
    else list.push(r);
  }
  for (const list of byTrace.values()) {
    const firsts = list.filter((r) => !isRetry(r.span));
    if (firsts.length !== 1) continue;
    const first = firsts[0]!;
    let last: Node | null = null;
    for (const r of list) if (isRetry(r.span) && r.span.startMs >= first.span.startMs && (last === null || r.span.startMs > last.span.startMs)) last = r;
    if (last !== null) out.set(first, last);
  }
  return out;
}

/**
 * Whether a try failed: a span of it in error, where a call its caller made
 * again counts by its last try — after folding, a call's first try is among
 * a node's `children` and its later tries (same service, starting after it)
 * among its `retried`, and the latest of those decides. So a request whose
 * database call failed once and succeeded on the retry did not fail.
 */
function failedTry(root: Node): boolean {
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.span.error) return true;
    for (const c of n.children) stack.push(lastTryOf(n, c));
  }
  return false;
}

/** The latest try of call `c` of node `n`: `c` itself, or the last of its later tries. */
function lastTryOf(n: Node, c: Node): Node {
  let last = c;
  if (n.retried !== undefined) {
    for (const r of n.retried) if (r.span.service === c.span.service && r.span.startMs > last.span.startMs) last = r;
  }
  return last;
}

/** A later try of a call its client made again (SPEC §11: kept out of paths and arrivals). */
function isRetry(s: Span): boolean {
  return s.resend !== undefined && s.resend > 0;
}

/** The calls a span waited on, sorted by start: its calls, and its retried ones when it has any. */
function timedCalls(node: Node): readonly Node[] {
  if (node.retried === undefined) return node.children;
  return [...node.children, ...node.retried].sort((a, b) => a.span.startMs - b.span.startMs);
}

/** `calls` sorted by start: clipped to the span, their starts stay in order, so the union is one pass. */
function ownTime(s: Span, calls: readonly Node[]): number {
  let covered = 0;
  let curLo = -Infinity;
  let curHi = -Infinity;
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i]!.span;
    const lo = Math.max(s.startMs, c.startMs);
    const hi = Math.min(s.endMs, c.endMs);
    if (!(hi > lo)) continue;
    if (lo > curHi) {
      if (curHi > curLo) covered += curHi - curLo;
      curLo = lo;
      curHi = hi;
    } else if (hi > curHi) curHi = hi;
  }
  if (curHi > curLo) covered += curHi - curLo;
  return Math.max(0, s.endMs - s.startMs - covered);
}
