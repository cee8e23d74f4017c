/**
 * A queue worker's thread entry (a piscina task): one simulation of a job,
 * on the scenario the job's study published. The simulation runs off the
 * worker's main thread, which stays free to renew the job's lock (a blocked
 * event loop would let BullMQ think the worker died), and a thread that dies
 * (out of memory) fails its job with the cause instead of the worker.
 */
import { unpack } from 'msgpackr';
import type { Metrics } from '../metrics/types.js';
import { executeTask, VariantCache } from '../runner/task-run.js';
import { testHook } from '../runner/worker.js';
import type { RunTask } from '../runner/task.js';
import type { Scenario } from '../scenario/types.js';

export interface ThreadJob {
  hash: string;
  /** The scenario as published (msgpack); read once per hash by each thread. */
  scenario: Uint8Array;
  task: RunTask;
}

const compiled = new VariantCache();
const scenarios = new Map<string, Scenario>();

export default function runJob(job: ThreadJob): Metrics {
  const config = testHook(job.task.config);
  const c = compiled.get(
    job.hash,
    () => {
      let sc = scenarios.get(job.hash);
      if (sc === undefined) {
        sc = unpack(job.scenario) as Scenario;
        scenarios.set(job.hash, sc);
      }
      return sc;
    },
    job.task,
    config,
  );
  return executeTask(job.task, c, config);
}
