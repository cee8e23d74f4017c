/**
 * The configuration as the model runs it, for the exporters: a mechanism
 * that is present with settings left out takes the model's defaults
 * (sim/model/policies.ts), and at-least-once delivery its implied retries —
 * `retry: {}` runs three attempts in the model, and must export as three,
 * not as the target's own default or as none.
 */
import { DEFAULTS, retryCapMs } from '../../model/policies.js';
import type { MeshConfig } from '../../scenario/types.js';

export function effectiveConfig(c: MeshConfig, notes: string[]): MeshConfig {
  const out: MeshConfig = { ...c };
  const filled = (block: string, given: object, defaults: Record<string, unknown>): void => {
    const left = Object.keys(defaults).filter((k) => !(k in given));
    if (left.length > 0) notes.push(`${block}: ${left.join(', ')} not set; exported with the model's defaults (${left.map((k) => `${k} ${String(defaults[k])}`).join(', ')}).`);
  };
  const acked = (c.delivery ?? 'at-most-once') !== 'at-most-once';
  const retry = c.retry ?? (acked ? {} : undefined);
  if (retry !== undefined) {
    if (c.retry === undefined) notes.push(`delivery ${c.delivery}: re-sends until acknowledged, which the model runs as a retry policy; exported as one.`);
    const defaults = { ...DEFAULTS.retry, cap: retryCapMs(retry) };
    filled('retry', retry, defaults);
    out.retry = { ...defaults, ...retry };
  }
  if (c.breaker !== undefined) {
    filled('breaker', c.breaker, DEFAULTS.breaker);
    out.breaker = { ...DEFAULTS.breaker, ...c.breaker };
  }
  if (c.outlier !== undefined) {
    filled('outlier', c.outlier, DEFAULTS.outlier);
    out.outlier = { ...DEFAULTS.outlier, ...c.outlier };
  }
  return out;
}
