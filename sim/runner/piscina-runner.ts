/** Evaluation on worker threads of this process (the default runner). */
import { Piscina } from 'piscina';
import { defaultWorkers, type Runner } from './runner.js';
import { threadEntry, threadOptions } from './thread-entry.js';
import type { RunResult, RunTask } from './task.js';

/** The worker file next to this one: `.ts` under tsx, `.js` in the build. */
export function workerFile(): string {
  return threadEntry(import.meta.url, 'worker');
}

export class PiscinaRunner implements Runner {
  private readonly pool: Piscina;

  constructor(readonly workers: number = defaultWorkers()) {
    const file = workerFile();
    this.pool = new Piscina({ filename: file, minThreads: workers, maxThreads: workers, idleTimeout: 60_000, ...threadOptions(file) });
  }

  async run(task: RunTask): Promise<RunResult> {
    try {
      const metrics = await this.pool.run(task);
      return { ok: true, metrics };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
