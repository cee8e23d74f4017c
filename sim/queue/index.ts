/**
 * Studies past one machine (SPEC §7.1): simulations on a BullMQ queue over
 * Redis, evaluated by `meshtune worker` anywhere. The runners and the worker
 * come through `loadQueue()`, so a command without `--queue` never loads
 * BullMQ or the Redis driver.
 */
export { parseQueueUrl, redactUrl, withoutPassword, type QueueAddress } from './url.js';
export { DEFAULT_PREFIX, DEFAULT_STALL_MS, DEFAULT_MAX_STALLS, queueNameOf } from './protocol.js';

export function loadQueue(): Promise<typeof import('./runtime.js')> {
  return import('./runtime.js');
}
