/** The fault-tolerance mechanisms a configuration turns on, in words (SPEC §5 knobs). */
import type { MeshConfig } from '../../scenario/types.js';
import { fmtMs, fmtPct, sig } from '../units.js';

export function mechanisms(c: MeshConfig): string[] {
  const out: string[] = [];
  const t = c.timeout;
  if (t?.perTry !== undefined) out.push(`timeout ${fmtMs(t.perTry)} per try`);
  if (t?.overall !== undefined) out.push(`deadline ${fmtMs(t.overall)}`);
  const r = c.retry;
  if (r !== undefined && (r.maxAttempts ?? 1) > 1) {
    out.push(`up to ${r.maxAttempts} attempts (backoff ${fmtMs(r.base ?? 0)}${r.cap !== undefined ? ` to ${fmtMs(r.cap)}` : ''}, jitter ${r.jitter ?? 'none'}${r.budget !== undefined ? `, budget ${fmtPct(r.budget)}` : ''})`);
  }
  if (c.hedge?.after !== undefined) out.push(`hedge after ${fmtMs(c.hedge.after)}`);
  const b = c.breaker;
  if (b !== undefined) {
    const parts = [
      b.failureRate !== undefined ? `opens at ${fmtPct(b.failureRate)} failures` : null,
      b.minRequests !== undefined ? `min ${b.minRequests} requests` : null,
      b.window !== undefined ? `window ${fmtMs(b.window)}` : null,
      b.openFor !== undefined ? `open ${fmtMs(b.openFor)}` : null,
    ].filter((x): x is string => x !== null);
    out.push(`circuit breaker${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`);
  }
  const o = c.outlier;
  if (o !== undefined) out.push(`outlier ejection${o.consecutiveErrors !== undefined ? ` after ${o.consecutiveErrors} consecutive errors` : ''}`);
  const redundancy = c.routing?.redundancy;
  if (redundancy !== undefined && redundancy > 1) out.push(`${redundancy} redundant copies`);
  if (c.routing?.path === 'adaptive') out.push('adaptive routing around failed hops');
  if (c.delivery !== undefined && c.delivery !== 'at-most-once') out.push(`${c.delivery} delivery`);
  if (c.shedding?.queueFraction !== undefined) out.push(`shedding above ${fmtPct(c.shedding.queueFraction)} queue fill`);
  if (c.concurrency?.limit !== undefined) out.push(`concurrency limit ${typeof c.concurrency.limit === 'number' ? sig(c.concurrency.limit) : c.concurrency.limit}`);
  if (c.buffer?.capacity !== undefined) out.push(`buffers of ${c.buffer.capacity} (${c.buffer.policy ?? 'drop-tail'})`);
  return out;
}
