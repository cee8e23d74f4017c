/**
 * Small integer codes used on the hot path. Events carry (kind, a, b); the
 * meaning of a and b is given next to each kind.
 */

export const Ev = {
  /** A workload source fires. a = source index, b = client (closed) or 0. */
  Source: 0,
  /** A copy reaches the agent in `at` after a link. a = copy, b = copy generation. */
  Arrive: 1,
  /** A worker finishes serving a copy. a = copy, b = copy generation. */
  Done: 2,
  /** A call's per-try timeout. a = call, b = call token. */
  Timeout: 3,
  /** A call's hedge delay elapsed. a = call, b = call token. */
  Hedge: 4,
  /** A call's backoff elapsed: try again. a = call, b = call token. */
  Retry: 5,
  /** A fault starts or ends. a = fault index, b = phase or replica. */
  Fault: 6,
  /** A link batch's linger elapsed. a = batch (edge slot), b = batch token. */
  Flush: 7,
  /** An autoscaler evaluates. a = role, b = 0. */
  ScaleTick: 8,
  /** A replica finished starting. a = agent, b = its start token. */
  ScaleReady: 9,
} as const;

/** What a copy is. */
export const Msg = {
  Request: 0,
  Reply: 1,
  Ack: 2,
  /** An error answer (the request was rejected); carries the cause. */
  Nack: 3,
} as const;

/** Why a message was lost: a code into the `lost` counters (metrics LOST_KEYS, + 1). */
export const Cause = {
  None: 0,
  Overflow: 1,
  Link: 2,
  Crash: 3,
  Timeout: 4,
  Shed: 5,
  Breaker: 6,
  Unfinished: 7,
  /** A service ended in an error (the role's `errors`). */
  Error: 8,
} as const;

/** Job (logical message) states. */
export const JobState = { Active: 0, Done: 1, Lost: 2 } as const;

/** Call kinds: an end-to-end request–reply, or an acknowledged hop. */
export const CallKind = { EndToEnd: 0, Hop: 1 } as const;
export const CallState = { Active: 0, Done: 1, Failed: 2 } as const;

/** Copy flags (bit set). */
export const Flag = {
  /** Queued at an intermediate agent for relay work, not for service. */
  Relay: 1,
  /** One of several redundant copies of the same hop. */
  Redundant: 2,
  /** A hedged copy. */
  Hedge: 4,
  /** Already compressed by its first sender. */
  Encoded: 8,
  /** Counted in its destination's `outstanding` (cleared when that ends). */
  Outstanding: 16,
  /**
   * Its job's `measured` flag (created after the warm-up), copied at the
   * copy's creation: the hops count into their tallies from the copy, hot
   * in the cache, without reading the job's flag, seldom there.
   */
  Measured: 32,
} as const;

/** Shift of `Flag.Measured`: `(flags >> MEASURED_SHIFT) & 1` is the index into the tallies. */
export const MEASURED_SHIFT = 5;

/** Priority levels (0 lowest … 7 highest). */
export const LEVELS = 8;
