import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import runTask from '../../sim/runner/worker.js';
import type { Runner } from '../../sim/runner/runner.js';
import type { RunResult, RunTask } from '../../sim/study/types.js';
import { toJson, fromJson } from '../../sim/study/persist.js';
import { tempDir } from '../helpers.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixture = (name: string): string => path.join(root, 'test/fixtures/study', name);

/** Runs tasks in this thread, one after another: the worker's code without the pool. */
export class InlineRunner implements Runner {
  readonly workers = 1;
  runs = 0;
  async run(task: RunTask): Promise<RunResult> {
    this.runs += 1;
    try {
      return { ok: true, metrics: runTask(task) };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }
  async close(): Promise<void> {}
}

/** A scenario document written to a temporary JSON file (workers load scenarios by path). */
export function scenarioFile(doc: Record<string, unknown>, name = 'scenario'): string {
  const dir = tempDir('study');
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/** A value as it would be written and read back (Infinity kept), for deep comparisons. */
export function normalised<T>(x: T): unknown {
  return fromJson(toJson(x));
}
