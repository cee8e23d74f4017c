/**
 * A request's path with its parallel structure (SPEC §11.2), from its tree of
 * calls (same-service spans already folded, each node's calls sorted by start).
 *
 * - A span's calls are cut into runs: calls connected by overlap in time, and
 *   the hand-offs of one span (calls starting at or after its end: all of
 *   them wait on that end, not on each other). A run of one call is a stage
 *   walked depth first, as before; a run of two or more is a parallel group,
 *   each call a branch (the first MAX_BRANCHES by start; more are cut).
 * - A branch is its call's subtree flattened depth first in call order;
 *   parallel calls inside a branch are serialised (one level of groups only).
 * - The stage after a group: in a trace of nested calls it is the caller's
 *   next call. In a trace of hand-offs it hangs from the branch that finished
 *   last (nothing else links a join), so it is found inside that branch: the
 *   first span on the branch's last-call spine that is a hand-off, whose
 *   parent ended last of the group's spans outside its subtree, and that
 *   started after all of them ended. It and its subtree leave the branch and
 *   continue the path after the group. A stage of a branch that itself began
 *   after every other branch had ended cannot be told from it (the trees are
 *   the same); it is read as after the group first. Each later span of the
 *   spine that meets the same test, and no join at all, is another reading of
 *   the request (derive.ts `readings`): the import counts the request on the
 *   reading most requests take (infer.ts), so a branch's stage read as after
 *   the group in a few requests goes back into its branch.
 */
import type { Span } from './span.js';
import { MAX_BRANCHES, type PathStage } from './path-key.js';

export interface CallNode {
  span: Span;
  children: CallNode[];
  /**
   * Calls the span's service made again (a client span with
   * `http.request.resend_count` ≥ 1 folded into it): kept out of the path and
   * the call counts, whose retries the model's retry policy makes.
   */
  retried?: CallNode[];
}

/** What shaping a request's path had to give up, and the choices it left. */
export interface PathShape {
  /**
   * Input: calls that overlap by less than this (ms) are read one after the
   * other — the trace's time resolution (1 ms in the Alibaba trace, whose
   * rounded times make touching calls overlap by a fraction of it at random).
   */
  slackMs?: number;
  /** Parallel calls inside a branch, serialised. */
  serialised: boolean;
  /** A group of more than MAX_BRANCHES calls, its later calls cut. */
  branchesCut: boolean;
  /** Per group in walk order: its readings, each span that could be the stage after it and none (0: no choice). */
  joins: number[];
}

/** The end (exclusive) of the run of `calls` (sorted by start) beginning at `i`; `callerEnd` the caller span's end. */
export function runEnd(calls: readonly CallNode[], i: number, callerEnd: number, slackMs = 0): number {
  let hi = calls[i]!.span.endMs;
  let handoff = calls[i]!.span.startMs >= callerEnd - slackMs;
  let j = i + 1;
  for (; j < calls.length; j++) {
    const k = calls[j]!.span;
    const h = k.startMs >= callerEnd - slackMs;
    if (!(k.startMs < hi - slackMs || (h && handoff))) break;
    if (k.endMs > hi) hi = k.endMs;
    handoff ||= h;
  }
  return j;
}

/** True when some run of the calls has two or more: the span called in parallel. */
export function hasParallelCalls(calls: readonly CallNode[], callerEnd: number, slackMs = 0): boolean {
  for (let i = 0; i < calls.length; ) {
    const j = runEnd(calls, i, callerEnd, slackMs);
    if (j - i > 1) return true;
    i = j;
  }
  return false;
}

/**
 * Readings of one group's join, at most: in a chain of hand-offs every span
 * after the join passes the test too, and the true join is the first or, when
 * a branch's stage began after the others ended, the second.
 */
export const MAX_JOINS = 3;

/**
 * The walk's stack, its run bounds and a branch's services: reused from one
 * request to the next (a path is walked once per request with a group). On
 * the stack a group is the list of its calls (the branch heads), a stage a node.
 */
const STACK: (CallNode | CallNode[])[] = [];
const BOUNDS: number[] = [];
const BRANCH_STACK: CallNode[] = [];
const BRANCH_SERVICES: string[] = [];

/**
 * The path of the request rooted at `root`, services as named in the trace.
 * `pick` reads group `pick[0]` with its `pick[1]`-th possible stage after it
 * (by default every group takes its first).
 */
export function requestPath(root: CallNode, shape: PathShape, pick: readonly [number, number] | null = null): PathStage[] {
  const path: PathStage[] = [];
  shape.joins.length = 0;
  // Iterative: traces can be deep.
  const stack = STACK;
  stack.length = 0;
  stack.push(root);
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (Array.isArray(item)) {
      const joins = continuations(item, shape.slackMs);
      const g = shape.joins.length;
      // The readings: each possible join, or none (the spans stay in their branch).
      shape.joins.push(joins.length > 0 ? joins.length + 1 : 0);
      const after = joins[pick !== null && pick[0] === g ? pick[1] : 0] ?? null;
      const branches: string[][] = [];
      for (const h of item) branches.push(branch(h, after, shape));
      path.push(branches);
      if (after !== null) stack.push(after.node);
      continue;
    }
    path.push(item.span.service);
    const calls = item.children;
    if (calls.length <= 1) {
      if (calls.length === 1) stack.push(calls[0]!);
      continue;
    }
    // Runs found first to last, pushed last first so that the first is walked first.
    const bounds = BOUNDS;
    bounds.length = 0;
    for (let i = 0; i < calls.length; ) bounds.push((i = runEnd(calls, i, item.span.endMs, shape.slackMs)));
    for (let r = bounds.length - 1; r >= 0; r--) {
      const i = r > 0 ? bounds[r - 1]! : 0;
      const j = bounds[r]!;
      if (j - i === 1) stack.push(calls[i]!);
      else {
        if (j - i > MAX_BRANCHES) shape.branchesCut = true;
        stack.push(calls.slice(i, Math.min(j, i + MAX_BRANCHES)));
      }
    }
  }
  return path;
}

/** The stage after a group found inside one of its branches (a hand-off join), with its parent. */
interface After {
  node: CallNode;
  parent: CallNode;
}

/** Latest end of a subtree's spans; with `retried`, the spans of the tries its callers made again too. */
export function subtreeEnd(node: CallNode, retried = false): number {
  let end = -Infinity;
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.span.endMs > end) end = n.span.endMs;
    for (const c of n.children) stack.push(c);
    if (retried && n.retried !== undefined) for (const c of n.retried) stack.push(c);
  }
  return end;
}

/** The spans that could be the stage after the group, when a hand-off join hangs it inside a branch (see the header), first the first. */
function continuations(heads: readonly CallNode[], slackMs = 0): After[] {
  const out: After[] = [];
  let ends: number[] | null = null;
  for (let b = 0; b < heads.length; b++) {
    // Only a hand-off on the branch's last-call spine can be the join: most branches (nested calls) have none.
    let handoff = false;
    for (let n = heads[b]!; n.children.length > 0 && !handoff; n = n.children[n.children.length - 1]!) {
      handoff = n.children[n.children.length - 1]!.span.startMs >= n.span.endMs - slackMs;
    }
    if (!handoff) continue;
    ends ??= heads.map((h) => subtreeEnd(h));
    let others = -Infinity;
    for (let o = 0; o < heads.length; o++) if (o !== b && ends[o]! > others) others = ends[o]!;
    // Down the branch's last-call spine: `outside` is the latest end of the branch's spans off the subtree below.
    let parent = heads[b]!;
    let outside = others;
    while (parent.children.length > 0) {
      const kids = parent.children;
      const c = kids[kids.length - 1]!;
      for (let k = 0; k < kids.length - 1; k++) outside = Math.max(outside, subtreeEnd(kids[k]!));
      const p = parent.span;
      // A hand-off from the span that ended last: it started after everything else in the group had ended.
      if (c.span.startMs >= p.endMs - slackMs && p.endMs >= outside - slackMs) {
        out.push({ node: c, parent });
        if (out.length === MAX_JOINS) return out;
      }
      outside = Math.max(outside, p.endMs);
      parent = c;
    }
  }
  return out;
}

/** A branch: its head's subtree depth first in call order, without the stage after the group; parallel calls in it serialised. */
function branch(head: CallNode, after: After | null, shape: PathShape): string[] {
  const out = BRANCH_SERVICES;
  out.length = 0;
  const stack = BRANCH_STACK;
  stack.length = 0;
  stack.push(head);
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n.span.service);
    let calls = n.children;
    if (calls.length === 0) continue;
    if (after !== null && n === after.parent) calls = calls.filter((c) => c !== after.node);
    if (!shape.serialised && calls.length > 1 && hasParallelCalls(calls, n.span.endMs, shape.slackMs)) shape.serialised = true;
    for (let i = calls.length - 1; i >= 0; i--) stack.push(calls[i]!);
  }
  return out.slice();
}
