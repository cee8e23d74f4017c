/** The parts of the queue that load BullMQ and the Redis driver (most of a second): loaded only when a queue is used. */
export { checkReachable, deleteMatching } from './connect.js';
export { QueueRunner, type QueueRunnerOptions } from './queue-runner.js';
export { QueueWorker, type QueueWorkerOptions } from './queue-worker.js';
