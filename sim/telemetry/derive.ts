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
 * - Children are parallel when two of a span's calls overlap in time.
 * - A span whose parent never appears is a root (counted as an orphan); a
 *   child starting before its parent is shifted to the parent's start (clock
 *   skew, counted); a second span with the same id in a trace is skipped.
 */
import type { Diagnostics } from './diagnostics.js';
import type { Span } from './span.js';

export interface ServiceStats {
  name: string;
  ownMs: number[];
  spans: number;
  errors: number;
  instances: Set<string>;
  /** Peak number of this service's spans open at once on one instance. */
  peakConcurrency: number;
  /** Spans whose calls overlap (parallel children). */
  parallelSpans: number;
  /** Spans that made at least one call. */
  callingSpans: number;
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
  /** Path (services in call order, depth first) → number of traces. */
  paths: Map<string, number>;
  /** Start of each root request, ms since the epoch, sorted. */
  rootStartsMs: number[];
  /** End-to-end latency of each trace (last end − first start), ms. */
  latencyMs: number[];
  /** Per trace: any span in error. */
  failedTraces: number;
  /** Gaps between a span's end and the start of a hand-off it made (a call starting after it ended), ms. */
  handoffGapsMs: number[];
  /** Request sizes of root spans that say, bytes. */
  rootBytes: number[];
  /** Calls that overlapped their caller (nested RPC) vs started after it (hand-offs). */
  nestedCalls: number;
  handoffCalls: number;
}

interface Node {
  span: Span;
  children: Node[];
}

/** `windowMs`: only requests whose root starts within this long of the first root's start (Infinity: all). */
export function derive(spans: readonly Span[], diag: Diagnostics, windowMs = Infinity): Derived {
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) {
    let list = byTrace.get(s.traceId);
    if (list === undefined) byTrace.set(s.traceId, (list = []));
    list.push(s);
  }
  const out: Derived = {
    spans: 0, traces: 0, services: new Map(), edges: new Map(), paths: new Map(), rootStartsMs: [], latencyMs: [],
    failedTraces: 0, handoffGapsMs: [], rootBytes: [], nestedCalls: 0, handoffCalls: 0,
  };
  const open = new Map<string, { starts: number[]; ends: number[] }>();
  const roots: Node[] = [];
  for (const list of byTrace.values()) roots.push(...buildTree(list, diag));
  let t0 = Infinity;
  for (const r of roots) t0 = Math.min(t0, r.span.startMs);
  {
    for (const root of roots) {
      if (root.span.startMs > t0 + windowMs) continue;
      out.traces++;
      const path: string[] = [];
      let first = Infinity;
      let last = -Infinity;
      let failed = false;
      const walk = (node: Node): void => {
        const s = node.span;
        out.spans++;
        path.push(s.service);
        first = Math.min(first, s.startMs);
        last = Math.max(last, s.endMs);
        failed ||= s.error;
        const st = stats(out.services, s.service);
        st.spans++;
        if (s.error) st.errors++;
        if (s.instance !== '') st.instances.add(s.instance);
        const key = `${s.service}\u0000${s.instance}`;
        let iv = open.get(key);
        if (iv === undefined) open.set(key, (iv = { starts: [], ends: [] }));
        iv.starts.push(s.startMs);
        iv.ends.push(s.endMs);
        st.ownMs.push(ownTime(s, node.children));
        const kids = node.children.slice().sort((a, b) => a.span.startMs - b.span.startMs);
        if (kids.length > 0) st.callingSpans++;
        if (overlapping(kids)) st.parallelSpans++;
        const called = new Set<string>();
        for (const k of kids) {
          const e = edge(out.edges, s.service, k.span.service);
          e.calls++;
          if (!called.has(k.span.service)) {
            called.add(k.span.service);
            e.parents++;
          }
          if (k.span.startMs >= s.endMs) {
            out.handoffCalls++;
            out.handoffGapsMs.push(k.span.startMs - s.endMs);
          } else out.nestedCalls++;
        }
        for (const k of kids) walk(k);
      };
      walk(root);
      out.rootStartsMs.push(root.span.startMs);
      if (root.span.bytes >= 0) out.rootBytes.push(root.span.bytes);
      out.latencyMs.push(last - first);
      if (failed) out.failedTraces++;
      const p = path.join(' ');
      out.paths.set(p, (out.paths.get(p) ?? 0) + 1);
    }
  }
  for (const [key, iv] of open) {
    const st = out.services.get(key.slice(0, key.indexOf('\u0000')))!;
    st.peakConcurrency = Math.max(st.peakConcurrency, peak(iv));
  }
  out.rootStartsMs.sort((a, b) => a - b);
  return out;
}

/** A trace's roots, with same-service spans folded into their parents, skew fixed and orphans counted. */
function buildTree(list: Span[], diag: Diagnostics): Node[] {
  const byId = new Map<string, Node>();
  for (const s of list) {
    if (byId.has(s.spanId)) {
      diag.add('duplicate', s.where, `span ${s.spanId}`);
      continue;
    }
    byId.set(s.spanId, { span: s, children: [] });
  }
  const roots: Node[] = [];
  for (const node of byId.values()) {
    const pid = node.span.parentId;
    const parent = pid === '' ? undefined : byId.get(pid);
    if (parent === undefined || parent === node) {
      if (pid !== '') diag.add('orphan', node.span.where, `parent ${pid}`);
      roots.push(node);
    } else parent.children.push(node);
  }
  for (const r of roots) fixSkew(r, diag);
  return roots.map(fold);
}

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
    stack.push(...n.children);
  }
}

/** Children of the same service as their parent are folded into it, recursively. */
function fold(node: Node): Node {
  const children: Node[] = [];
  const stack = [...node.children];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (c.span.service === node.span.service) stack.push(...c.children);
    else children.push(fold(c));
  }
  return { span: node.span, children };
}

function ownTime(s: Span, calls: Node[]): number {
  const iv: Array<[number, number]> = [];
  for (const c of calls) {
    const lo = Math.max(s.startMs, c.span.startMs);
    const hi = Math.min(s.endMs, c.span.endMs);
    if (hi > lo) iv.push([lo, hi]);
  }
  iv.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let curLo = -Infinity;
  let curHi = -Infinity;
  for (const [lo, hi] of iv) {
    if (lo > curHi) {
      if (curHi > curLo) covered += curHi - curLo;
      curLo = lo;
      curHi = hi;
    } else curHi = Math.max(curHi, hi);
  }
  if (curHi > curLo) covered += curHi - curLo;
  return Math.max(0, s.endMs - s.startMs - covered);
}

function overlapping(sorted: Node[]): boolean {
  let end = -Infinity;
  for (const k of sorted) {
    if (k.span.startMs < end) return true;
    end = Math.max(end, k.span.endMs);
  }
  return false;
}

/** Most intervals open at once (an end at t closes before a start at t). */
function peak(iv: { starts: number[]; ends: number[] }): number {
  const starts = Float64Array.from(iv.starts).sort();
  const ends = Float64Array.from(iv.ends).sort();
  let cur = 0;
  let max = 0;
  let j = 0;
  for (let i = 0; i < starts.length; i++) {
    while (j < ends.length && ends[j]! <= starts[i]!) {
      j++;
      cur--;
    }
    cur++;
    if (cur > max) max = cur;
  }
  return max;
}

function stats(map: Map<string, ServiceStats>, name: string): ServiceStats {
  let st = map.get(name);
  if (st === undefined) {
    st = { name, ownMs: [], spans: 0, errors: 0, instances: new Set(), peakConcurrency: 0, parallelSpans: 0, callingSpans: 0 };
    map.set(name, st);
  }
  return st;
}

function edge(map: Map<string, Edge>, from: string, to: string): Edge {
  const key = `${from}\u0000${to}`;
  let e = map.get(key);
  if (e === undefined) map.set(key, (e = { from, to, calls: 0, parents: 0 }));
  return e;
}
