/** Evaluation on worker threads of this process (the default runner). */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { defaultWorkers, type Runner } from './runner.js';
import type { RunResult, RunTask } from './task.js';

/**
 * The worker file next to this one: `.ts` when running the sources under tsx
 * (worker threads inherit `--import tsx`), `.js` when running the build.
 */
export function workerFile(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./worker${ext}`, import.meta.url));
}

export class PiscinaRunner implements Runner {
  private readonly pool: Piscina;

  constructor(readonly workers: number = defaultWorkers()) {
    const file = workerFile();
    // Worker threads inherit `--import tsx` from the command line; a process that
    // registered tsx from code instead (bin/meshtune.js without a build) must pass it on.
    const tsxMissing = file.endsWith('.ts') && !process.execArgv.some((a) => a.includes('tsx'));
    this.pool = new Piscina({
      filename: file,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      ...(tsxMissing ? { execArgv: [...process.execArgv, '--import', 'tsx'] } : {}),
    });
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
