import type { Stream } from '../engine/rng.js';
import type { JitterKind } from '../scenario/types.js';

/**
 * Backoff before retry number `retry` (1 = first retry), ms. The shapes are
 * those of Brooker, "Exponential Backoff And Jitter" (AWS, 2015):
 * none = min(cap, base·2^(n−1)); full = U(0, that); equal = that/2 + U(0, that/2);
 * decorrelated = min(cap, U(base, 3·previous sleep)).
 */
export function backoffMs(
  jitter: JitterKind,
  retry: number,
  baseMs: number,
  capMs: number,
  prevSleepMs: number,
  rng: Stream,
): number {
  const exp = Math.min(capMs, baseMs * Math.pow(2, retry - 1));
  switch (jitter) {
    case 'none':
      return exp;
    case 'full':
      return rng.next() * exp;
    case 'equal':
      return exp / 2 + (rng.next() * exp) / 2;
    case 'decorrelated': {
      const prev = Math.max(baseMs, prevSleepMs);
      return Math.min(capMs, baseMs + rng.next() * (3 * prev - baseMs));
    }
  }
}

/** Tokens a caller may bank for bursts of retries. */
const BUDGET_BURST_TOKENS = 10;

/**
 * Retry budget per caller, a token bucket as in gRPC retry throttling and
 * Linkerd's budgets: every first try deposits `ratio` tokens (the extra load
 * allowed as a fraction of first tries), every retry spends one, and a retry
 * without a whole token is not made. Over a run, retries ≤ ratio · first tries
 * + the burst allowance.
 */
export class RetryBudget {
  private readonly tokens: Float64Array;

  constructor(
    callers: number,
    private readonly ratio: number,
  ) {
    this.tokens = new Float64Array(callers).fill(BUDGET_BURST_TOKENS);
  }

  /** A first try by caller index `i` (agent + 1; 0 = external). */
  deposit(i: number): void {
    const t = this.tokens[i]! + this.ratio;
    this.tokens[i] = t > BUDGET_BURST_TOKENS ? BUDGET_BURST_TOKENS : t;
  }

  /** Takes a token for a retry; false when the budget is spent. */
  withdraw(i: number): boolean {
    const t = this.tokens[i]!;
    if (t < 1) return false;
    this.tokens[i] = t - 1;
    return true;
  }
}
