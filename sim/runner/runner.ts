/**
 * Where simulations run. A `Runner` runs one task and never throws: a task
 * that throws or a worker that dies becomes a failed result, so one bad
 * candidate cannot stop a study. Worker threads (PiscinaRunner), this thread
 * (MemoryRunner) and a job queue across machines (sim/queue) implement it.
 */
import os from 'node:os';
import type { RunResult, RunTask } from './task.js';

export interface Runner {
  readonly workers: number;
  run(task: RunTask): Promise<RunResult>;
  close(): Promise<void>;
}

/** Worker threads used when `--workers` is not given: one per core. */
export function defaultWorkers(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}
