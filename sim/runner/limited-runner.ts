/**
 * A runner that holds its tasks to run limits (SPEC §6.1: `--max-events`,
 * `--max-agents`, `--max-pending`). A task whose estimate is beyond them is
 * refused before it is sent anywhere — one failed result naming the field
 * behind the estimate and the flag that raises the limit — so a candidate
 * too large to simulate is one failed evaluation of a study, not a worker
 * that runs out of memory. Every other task carries the limits to wherever
 * it runs (a thread, a queue's machine), whose model stops it the same way
 * if it outgrows them after all.
 */
import type { RunLimits } from '../model/control.js';
import { InputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/types.js';
import { checkRun } from './failure.js';
import type { Runner } from './runner.js';
import { taskScenario } from './task-run.js';
import type { RunResult, RunTask } from './task.js';

export class LimitedRunner implements Runner {
  constructor(
    private readonly inner: Runner,
    /** The scenario the tasks' `scenarioPath` names, as its workers load it. */
    private readonly scenario: Scenario,
    /** The limits given; the defaults (DEFAULT_LIMITS) for the rest. */
    readonly limits: Partial<RunLimits>,
  ) {}

  get workers(): number {
    return this.inner.workers;
  }

  run(task: RunTask): Promise<RunResult> {
    try {
      checkRun(taskScenario(this.scenario, task), task.config, this.limits);
    } catch (err) {
      if (err instanceof InputError) return Promise.resolve({ ok: false, error: err.message, refused: true });
      return Promise.resolve({ ok: false, error: err instanceof Error ? err.message : String(err) });
    }
    return this.inner.run({ ...task, limits: this.limits });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
