/**
 * Circuit breakers, one per destination agent and shared by its callers (as a
 * sidecar in front of each replica would hold it). Closed: calls flow, and
 * outcomes are counted in fixed windows of `windowMs`; when a window has at
 * least `minRequests` calls and a failure rate ≥ `failureRate`, it opens.
 * Open: no calls for `openForMs`. Half-open: up to `halfOpenProbes` calls at a
 * time; that many successes close it, one failure opens it again.
 */
export interface BreakerSettings {
  failureRate: number;
  minRequests: number;
  windowMs: number;
  openForMs: number;
  halfOpenProbes: number;
}

const CLOSED = 0;
const OPEN = 1;
const HALF_OPEN = 2;

export class Breakers {
  private readonly state: Uint8Array;
  private readonly openUntil: Float64Array;
  private readonly windowStart: Float64Array;
  private readonly requests: Int32Array;
  private readonly failures: Int32Array;
  private readonly probesInFlight: Int32Array;
  private readonly probeSuccesses: Int32Array;
  /** Transitions to open. */
  opens = 0;

  constructor(
    agents: number,
    private readonly s: BreakerSettings,
  ) {
    this.state = new Uint8Array(agents);
    this.openUntil = new Float64Array(agents);
    this.windowStart = new Float64Array(agents);
    this.requests = new Int32Array(agents);
    this.failures = new Int32Array(agents);
    this.probesInFlight = new Int32Array(agents);
    this.probeSuccesses = new Int32Array(agents);
  }

  /** Whether a call may go to `a` now (moves open → half-open when due). */
  allows(a: number, nowMs: number): boolean {
    const st = this.state[a]!;
    if (st === CLOSED) return true;
    if (st === OPEN) {
      if (nowMs < this.openUntil[a]!) return false;
      this.state[a] = HALF_OPEN;
      this.probesInFlight[a] = 0;
      this.probeSuccesses[a] = 0;
    }
    return this.probesInFlight[a]! < this.s.halfOpenProbes;
  }

  /** A call is sent to `a`; returns true when it is a half-open probe. */
  onSend(a: number): boolean {
    if (this.state[a] !== HALF_OPEN) return false;
    this.probesInFlight[a]!++;
    return true;
  }

  /** The outcome of a call to `a` (`probe` as returned by `onSend`). */
  onResult(a: number, ok: boolean, probe: boolean, nowMs: number): void {
    const st = this.state[a]!;
    if (st === HALF_OPEN) {
      if (probe) this.probesInFlight[a]!--;
      if (!ok) this.trip(a, nowMs);
      else if (probe && ++this.probeSuccesses[a]! >= this.s.halfOpenProbes) this.close(a, nowMs);
      return;
    }
    if (st === OPEN) return;
    if (nowMs - this.windowStart[a]! >= this.s.windowMs) {
      this.windowStart[a] = nowMs;
      this.requests[a] = 0;
      this.failures[a] = 0;
    }
    const req = ++this.requests[a]!;
    const fail = ok ? this.failures[a]! : ++this.failures[a]!;
    if (!ok && req >= this.s.minRequests && fail >= this.s.failureRate * req) this.trip(a, nowMs);
  }

  private trip(a: number, nowMs: number): void {
    this.state[a] = OPEN;
    this.openUntil[a] = nowMs + this.s.openForMs;
    this.opens++;
  }

  private close(a: number, nowMs: number): void {
    this.state[a] = CLOSED;
    this.windowStart[a] = nowMs;
    this.requests[a] = 0;
    this.failures[a] = 0;
  }

  /** True while `a` is open or half-open (for health reports). */
  isTripped(a: number): boolean {
    return this.state[a] !== CLOSED;
  }
}
