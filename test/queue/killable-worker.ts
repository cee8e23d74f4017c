/**
 * A queue worker in a process of its own, for a test to SIGKILL while it
 * holds a job, as the OOM killer would. It simulates on its main thread
 * (threads cost a second of start-up each under tsx), so a job with the
 * `__sleep` hook blocks it: its lock lapses as a dead worker's does.
 * Argument: the queue URL; MESHTUNE_QUEUE_PREFIX and MESHTUNE_QUEUE_STALL_MS as for `meshtune worker`.
 */
import { parseQueueUrl } from '../../sim/queue/index.js';
import { QueueWorker } from '../../sim/queue/runtime.js';
import { meshtuneVersion } from '../../sim/study/persist.js';

await QueueWorker.start({
  address: parseQueueUrl(process.argv[2]!),
  prefix: process.env.MESHTUNE_QUEUE_PREFIX!,
  concurrency: 1,
  version: meshtuneVersion(),
  stallMs: Number(process.env.MESHTUNE_QUEUE_STALL_MS),
  pollMs: 100,
  threads: false,
});
