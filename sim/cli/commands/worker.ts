import { defaultWorkers } from '../../runner/runner.js';
import { meshtuneVersion } from '../../study/index.js';
import { DEFAULT_MAX_STALLS, DEFAULT_PREFIX, DEFAULT_STALL_MS, loadQueue, parseQueueUrl } from '../../queue/index.js';
import { UsageError } from '../errors.js';
import { asFlagErrors, intOption, stringOption } from '../options.js';
import { note } from '../output.js';
import { fmtCount, fmtRate, sig } from '../../report/units.js';

export interface WorkerFlags {
  queue?: unknown;
  concurrency?: unknown;
}

/** Longest stall interval accepted from MESHTUNE_QUEUE_STALL_MS (an hour). */
const MAX_STALL_MS = 3_600_000;

/**
 * `meshtune worker --queue URL`: evaluates queued simulations until SIGINT
 * or SIGTERM, then finishes the running ones and leaves (SPEC §7.8).
 */
export async function workerCommand(flags: WorkerFlags): Promise<void> {
  const url = stringOption(flags.queue, '--queue') ?? (process.env.MESHTUNE_QUEUE || undefined);
  if (url === undefined) throw new UsageError('usage: meshtune worker --queue redis://host[:port][/db] [--concurrency N] (or MESHTUNE_QUEUE)');
  const address = asFlagErrors(() => parseQueueUrl(url));
  const concurrency = intOption(flags.concurrency, '--concurrency', defaultWorkers(), 1, 4096);
  const stallEnv = process.env.MESHTUNE_QUEUE_STALL_MS;
  const stallMs = stallEnv === undefined || stallEnv === '' ? DEFAULT_STALL_MS : intOption(stallEnv, 'MESHTUNE_QUEUE_STALL_MS', DEFAULT_STALL_MS, 100, MAX_STALL_MS);
  const version = meshtuneVersion();
  const { QueueWorker } = await loadQueue();
  const started = performance.now();
  // Listening for the signals before anything starts: a Ctrl-C while it connects, or right after it says it waits, stops it as any other does.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      note('meshtune worker: stopping after the simulations under way…');
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const worker = await asFlagErrors(() =>
    QueueWorker.start({
      address,
      prefix: process.env.MESHTUNE_QUEUE_PREFIX || DEFAULT_PREFIX,
      concurrency,
      version,
      stallMs,
      maxStalls: DEFAULT_MAX_STALLS,
      onLine: note,
    }),
  );
  note(`meshtune worker: meshtune ${version}, ${concurrency} thread${concurrency === 1 ? '' : 's'}, waiting for studies on ${address.shown}`);
  await stopped;
  await worker.close();
  // Its throughput over the time it served: what one more machine like it adds to a study.
  const seconds = (performance.now() - started) / 1000;
  note(
    `meshtune worker: ${fmtCount(worker.done)} simulation${worker.done === 1 ? '' : 's'} done, ${fmtCount(worker.events)} events in ${sig(seconds)} s: ${fmtRate(seconds > 0 ? worker.events / seconds : 0).replace('/s', ' events/s')}`,
  );
}
