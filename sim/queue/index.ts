/** Studies past one machine (SPEC §7.8): simulations on a BullMQ queue over Redis, evaluated by `meshtune worker` anywhere. */
export { parseQueueUrl, redactUrl, type QueueAddress } from './url.js';
export { checkReachable } from './connect.js';
export { QueueRunner, type QueueRunnerOptions } from './queue-runner.js';
export { QueueWorker, DEFAULT_STALL_MS, DEFAULT_MAX_STALLS, type QueueWorkerOptions } from './queue-worker.js';
export { DEFAULT_PREFIX, queueNameOf } from './protocol.js';
