/**
 * `meshtune worker`: evaluates the simulations of every open study on the
 * queue. It looks up the studies in the registry every `pollMs`, works on
 * those of its own meshtune version (naming the others once, in one line),
 * and runs each simulation on one of `concurrency` threads.
 *
 * A worker that dies mid-simulation (SIGKILL, a lost machine) stops renewing
 * its job's lock; after `stallMs` another worker's stalled-job check puts
 * the job back on the queue, where the next free worker takes it. A job
 * whose worker dies more than `maxStalls` times fails with that cause.
 */
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Piscina } from 'piscina';
import type { Metrics } from '../metrics/types.js';
import type { RunTask } from '../runner/task.js';
import { threadEntry, threadOptions } from '../runner/thread-entry.js';
import { causeOf, checkReachable, deleteMatching, redisClient, workerConnection } from './connect.js';
import runJob, { type ThreadJob } from './job-thread.js';
import { DEFAULT_MAX_STALLS, DEFAULT_STALL_MS, packToText, registryKey, scenarioKey, unpackText, type JobData, type StudyEntry } from './protocol.js';
import type { QueueAddress } from './url.js';

export interface QueueWorkerOptions {
  address: QueueAddress;
  prefix: string;
  /** Simulations at once (threads). */
  concurrency: number;
  version: string;
  /** One line per event worth telling (a study joined or left, a version refused, the queue lost). */
  onLine?: (text: string) => void;
  /** How long a job's lock lasts without renewal, and how often stalled jobs are looked for, ms. */
  stallMs?: number;
  /** Times a job may lose its worker before it fails. */
  maxStalls?: number;
  /** How often the registry of studies is read, ms. */
  pollMs?: number;
  /**
   * false: simulate on this thread instead of `concurrency` worker threads.
   * Only for short simulations (tests): a long one blocks the event loop,
   * the job's lock goes unrenewed and BullMQ takes the worker for dead.
   */
  threads?: boolean;
}

const DEFAULT_POLL_MS = 1000;

export class QueueWorker {
  private readonly workers = new Map<string, Worker>();
  /** Workers of studies that ended, still closing (then sweeping their keys). */
  private readonly leaving = new Set<Promise<void>>();
  private readonly refused = new Set<string>();
  private readonly scenarios = new Map<string, Promise<Uint8Array>>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> = Promise.resolve();
  private lost = false;
  private closed = false;
  /** Simulations finished by this worker. */
  done = 0;
  /** Events they simulated (the engine's count): with `done`, what this machine adds to a study. */
  events = 0;

  private constructor(
    private readonly opts: QueueWorkerOptions,
    private readonly redis: Redis,
    private readonly pool: Piscina | null,
  ) {}

  /** Checks the address answers (an InputError when not), then starts looking for studies. */
  static async start(opts: QueueWorkerOptions): Promise<QueueWorker> {
    await checkReachable(opts.address);
    const redis = redisClient(opts.address, opts.prefix);
    const w = new QueueWorker(opts, redis, opts.threads === false ? null : threadPool(opts.concurrency));
    redis.on('error', (err) => w.dropped(err));
    redis.on('reconnecting', () => w.dropped(new Error('connection closed')));
    redis.on('ready', () => {
      if (w.lost && !w.closed) {
        w.lost = false;
        w.say(`the queue at ${opts.address.shown} is back`);
      }
    });
    await w.poll();
    w.timer = setInterval(() => {
      w.polling = w.polling.then(() => w.poll());
    }, opts.pollMs ?? DEFAULT_POLL_MS);
    return w;
  }

  /** Studies being worked on now. */
  get studies(): number {
    return this.workers.size;
  }

  private say(text: string): void {
    this.opts.onLine?.(`meshtune worker: ${text}`);
  }

  private dropped(err: unknown): void {
    if (this.closed || this.lost) return;
    this.lost = true;
    this.say(`lost the queue at ${this.opts.address.shown} (${causeOf(err)}); reconnecting`);
  }

  /** Joins the studies that opened, leaves those that closed. */
  private async poll(): Promise<void> {
    if (this.closed) return;
    let entries: Record<string, string>;
    try {
      entries = await this.redis.hgetall(registryKey(this.opts.prefix));
    } catch {
      return; // told by the error event; the next poll tries again
    }
    for (const [name, text] of Object.entries(entries)) {
      if (this.workers.has(name) || this.refused.has(name)) continue;
      const entry = JSON.parse(text) as StudyEntry;
      if (entry.version !== this.opts.version) {
        this.refused.add(name);
        this.say(`leaving ${name} alone: it runs meshtune ${entry.version}, this worker is ${this.opts.version}`);
        continue;
      }
      this.workers.set(name, this.workerFor(name));
      this.say(`working on ${name}`);
    }
    for (const [name, worker] of this.workers) {
      if (name in entries) continue;
      this.workers.delete(name);
      // Kept until done, so that close() waits for it: a worker still closing
      // could write a study's keys after everything else has stopped.
      const leaving: Promise<void> = worker.close().then(() => this.sweep(name), () => {}).finally(() => this.leaving.delete(leaving));
      this.leaving.add(leaving);
      this.say(`${name} is over`);
    }
  }

  /**
   * A worker polling a queue keeps BullMQ's bookkeeping keys of it alive (its
   * stalled-jobs check writes them) until it closes, so a study's keys that
   * the coordinator removed can come back in the meantime. Once closed, the
   * worker removes what is left — unless the study is open again (resumed).
   */
  private async sweep(name: string): Promise<void> {
    try {
      if ((await this.redis.hexists(registryKey(this.opts.prefix), name)) === 1) return;
      await deleteMatching(this.redis, `${this.opts.prefix}:${name}:*`);
    } catch {
      // Redis gone: nothing to sweep that the next coordinator would mind.
    }
  }

  private workerFor(name: string): Worker {
    const stallMs = this.opts.stallMs ?? DEFAULT_STALL_MS;
    const worker = new Worker(name, (job: Job<JobData>) => this.process(job), {
      connection: workerConnection(this.opts.address),
      prefix: this.opts.prefix,
      concurrency: this.opts.concurrency,
      lockDuration: stallMs,
      stalledInterval: stallMs,
      maxStalledCount: this.opts.maxStalls ?? DEFAULT_MAX_STALLS,
    });
    worker.on('error', (err) => this.dropped(err));
    return worker;
  }

  private async process(job: Job<JobData>): Promise<string> {
    const { version, hash, task } = job.data;
    // Retrying cannot help these: the job fails at once, with the reason.
    if (version !== this.opts.version) throw new UnrecoverableError(`a worker of meshtune ${this.opts.version} refused a job of meshtune ${version}`);
    const scenario = await this.scenario(hash);
    if (scenario === null) throw new UnrecoverableError(`no scenario ${hash} on the queue (its study is over)`);
    const input: ThreadJob = { hash, scenario, task: unpackText<RunTask>(task) };
    const metrics = this.pool === null ? runJob(input) : ((await this.pool.run(input)) as Metrics);
    this.done++;
    this.events += metrics.engine.events;
    return packToText(metrics);
  }

  /**
   * The study's scenario, fetched once per hash. Its bytes sit in shared
   * memory, so handing them to a thread with each job copies nothing.
   */
  private async scenario(hash: string): Promise<Uint8Array | null> {
    let p = this.scenarios.get(hash);
    if (p === undefined) {
      p = this.redis.getBuffer(scenarioKey(this.opts.prefix, hash)).then((b) => {
        const shared = new Uint8Array(new SharedArrayBuffer(b?.length ?? 0));
        if (b !== null) shared.set(b);
        return shared;
      });
      this.scenarios.set(hash, p);
    }
    const bytes = await p;
    if (bytes.length === 0) {
      this.scenarios.delete(hash);
      return null;
    }
    return bytes;
  }

  /** Stops taking jobs, lets the running ones finish, and disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.polling;
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    this.workers.clear();
    await Promise.all([...this.leaving]);
    await this.pool?.destroy();
    this.redis.disconnect();
  }
}

function threadPool(threads: number): Piscina {
  const file = threadEntry(import.meta.url, 'job-thread');
  return new Piscina({ filename: file, minThreads: threads, maxThreads: threads, idleTimeout: 60_000, ...threadOptions(file) });
}
