/**
 * A runner for a scenario held in memory, in this thread: what a capacity
 * plan uses on a scenario built in code (the library, tests), where worker
 * threads could not load it from a file. Tasks run one after another; their
 * `scenarioPath` is not read.
 */
import type { Scenario } from '../scenario/types.js';
import type { Runner } from './runner.js';
import { executeTask, VariantCache } from './task-run.js';
import type { RunResult, RunTask } from './task.js';

export class MemoryRunner implements Runner {
  readonly workers = 1;
  private readonly cache = new VariantCache();

  constructor(private readonly scenario: Scenario) {}

  async run(task: RunTask): Promise<RunResult> {
    try {
      return { ok: true, metrics: executeTask(task, this.cache.get('', () => this.scenario, task)) };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(): Promise<void> {}
}
