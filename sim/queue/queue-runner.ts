/**
 * The coordinator's side of the queue: a `Runner` that puts each simulation
 * on the study's BullMQ queue and hands back its result. The study awaits
 * each result where it asked for it, so what a proposal sees never depends on
 * which result arrives first: a study run through the queue writes the same
 * records, in the same order, as one run on local threads.
 */
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { pack } from 'msgpackr';
import type { Metrics } from '../metrics/types.js';
import type { Runner } from '../runner/runner.js';
import type { RunResult, RunTask } from '../runner/task.js';
import type { Scenario } from '../scenario/types.js';
import { causeOf, checkReachable, deleteMatching, longLived, redisClient } from './connect.js';
import { JOB_NAME, jobIdOf, packToText, queueNameOf, registryKey, scenarioKey, unpackText, type JobData, type StudyEntry } from './protocol.js';
import type { QueueAddress } from './url.js';

export interface QueueRunnerOptions {
  address: QueueAddress;
  /** Key prefix in Redis (`DEFAULT_PREFIX` unless several teams share a server). */
  prefix: string;
  studyId: string;
  /** When the study started (study.json `createdAt`): with the id, it names the queue. */
  createdAt?: string;
  scenario: Scenario;
  /** `scenarioHash(scenario)`. */
  hash: string;
  /** meshtune version of this process; workers of another version leave the study alone. */
  version: string;
  /** Told once when the connection to Redis drops (it is retried) and when it is back. */
  onNote?: (text: string) => void;
}

/** BullMQ's reason for a job whose worker stopped more often than `maxStalledCount` allows. */
const STALLED_REASON = 'job stalled more than allowable limit';

interface Waiting {
  resolve: (r: RunResult) => void;
}

export class QueueRunner implements Runner {
  /** Simulations the study may keep in flight: the queue holds them, so this is only a hint (evidence runs read it). */
  readonly workers = 1;
  private readonly waiting = new Map<string, Waiting>();
  /** The task of each job asked for, to queue it again if Redis loses it. */
  private readonly tasks = new Map<string, RunTask>();
  private lost = false;
  private closed = false;
  /** Simulations whose result came back (the progress line's count). */
  done = 0;

  private constructor(
    private readonly opts: QueueRunnerOptions,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    readonly queueName: string,
  ) {}

  /** Checks the address answers (an InputError when not), publishes the study and its scenario, listens for results. */
  static async open(opts: QueueRunnerOptions): Promise<QueueRunner> {
    await checkReachable(opts.address);
    const name = queueNameOf(opts.studyId, opts.createdAt);
    const redis = redisClient(opts.address, opts.prefix);
    const connection = longLived(opts.address, opts.prefix);
    const queue = new Queue(name, { connection, prefix: opts.prefix });
    // Events are read from the stream's last entry now, not from whenever the
    // first read happens to start ('$'): a job that finishes in between is heard.
    const last = await redis.xrevrange(queue.keys.events!, '+', '-', 'COUNT', 1);
    const events = new QueueEvents(name, { connection, prefix: opts.prefix, lastEventId: last[0]?.[0] ?? '0-0' });
    const runner = new QueueRunner(opts, redis, queue, events, name);
    runner.listen();
    await events.waitUntilReady();
    await runner.publish();
    return runner;
  }

  /** The study and its scenario, where workers look for them. */
  private async publish(): Promise<void> {
    const { prefix, hash, version } = this.opts;
    await this.redis.set(scenarioKey(prefix, hash), Buffer.from(pack(this.opts.scenario)));
    const entry: StudyEntry = { version, hash };
    await this.redis.hset(registryKey(prefix), this.queueName, JSON.stringify(entry));
  }

  /**
   * Back after a cut: if Redis lost the study meanwhile (a restart, nothing
   * on disk), it is published again and the simulations under way are queued
   * again under the same ids; their results keep their place in the study.
   */
  private async recover(): Promise<void> {
    if ((await this.redis.hexists(registryKey(this.opts.prefix), this.queueName)) === 1) return;
    await this.publish();
    for (const [jobId, task] of this.tasks) {
      if (!this.waiting.has(jobId)) continue;
      await this.enqueue(jobId, task);
    }
    this.opts.onNote?.(`meshtune: the queue at ${this.opts.address.shown} had lost the study; its ${this.waiting.size} simulations under way are queued again`);
  }

  private listen(): void {
    const dropped = (err: unknown) => {
      if (this.closed || this.lost) return;
      this.lost = true;
      this.opts.onNote?.(`meshtune: lost the queue at ${this.opts.address.shown} (${causeOf(err)}); reconnecting, results keep their place`);
    };
    for (const emitter of [this.redis, this.queue, this.events] as Array<{ on(e: 'error', f: (err: unknown) => void): unknown }>) emitter.on('error', dropped);
    // A connection closed by the server (a restart, a kill) reconnects without an error event.
    this.redis.on('reconnecting', () => dropped(new Error('connection closed')));
    this.redis.on('ready', () => {
      if (!this.lost || this.closed) return;
      this.lost = false;
      this.opts.onNote?.(`meshtune: the queue at ${this.opts.address.shown} is back`);
      void this.recover().catch((err: unknown) => dropped(err));
    });
    this.events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, completedResult(returnvalue)));
    this.events.on('failed', ({ jobId, failedReason }) => this.settle(jobId, failedResult(failedReason)));
    // A job of this id was already there (asked before the coordinator restarted):
    // it may have finished while nobody listened, so its result is read from the job.
    this.events.on('duplicated', ({ jobId }) => {
      if (this.waiting.has(jobId)) void this.readFinished(jobId).catch((err: unknown) => dropped(err));
    });
  }

  private settle(jobId: string, r: RunResult): void {
    const w = this.waiting.get(jobId);
    if (w === undefined) return;
    this.waiting.delete(jobId);
    this.tasks.delete(jobId);
    this.done++;
    w.resolve(r);
  }

  async run(task: RunTask): Promise<RunResult> {
    const jobId = jobIdOf(this.opts.hash, task);
    const pending = this.waiting.get(jobId);
    if (pending !== undefined) {
      // The same simulation asked twice while in flight: one job, both callers get its result.
      return new Promise((resolve) => {
        const prev = pending.resolve;
        pending.resolve = (r) => {
          prev(r);
          resolve(r);
        };
      });
    }
    const result = new Promise<RunResult>((resolve) => this.waiting.set(jobId, { resolve }));
    this.tasks.set(jobId, task);
    await this.enqueue(jobId, task);
    return result;
  }

  private async enqueue(jobId: string, task: RunTask): Promise<void> {
    const data: JobData = { version: this.opts.version, hash: this.opts.hash, task: packToText(task) };
    try {
      // A job of this id already there (asked before a restart) is kept as it is;
      // BullMQ says so with a 'duplicated' event (see listen()). Checking each
      // job's state here instead cost every simulation one more round trip.
      await this.queue.add(JOB_NAME, data, { jobId, attempts: 1, removeOnComplete: false, removeOnFail: false });
    } catch (err) {
      this.settle(jobId, { ok: false, error: `the queue refused the simulation: ${causeOf(err)}` });
    }
  }

  /** A job that finished before its events could be heard (a resumed study): its result from the job itself. */
  private async readFinished(id: string): Promise<void> {
    const state = await this.queue.getJobState(id);
    if (state !== 'completed' && state !== 'failed') return;
    const j = await this.queue.getJob(id);
    if (j === undefined) return;
    this.settle(id, state === 'completed' ? completedResult(j.returnvalue) : failedResult(j.failedReason));
  }

  /** Workers connected to the study's queue now. */
  async connectedWorkers(): Promise<number> {
    try {
      return await this.queue.getWorkersCount();
    } catch {
      return 0;
    }
  }

  /**
   * Disconnects and leaves the study on the queue, as a coordinator that
   * dies does: its jobs keep running, and a resumed study (`--resume` with
   * the same queue) takes their results instead of running them again.
   */
  async detach(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.events.close();
    await this.queue.close();
    this.redis.disconnect();
  }

  /**
   * The study is over: its queue, scenario and registry entry leave Redis.
   * A coordinator that dies instead leaves them, and a resumed study finds
   * the results that came in meanwhile.
   *
   * The queue goes before the registry entry: a worker that sees the entry
   * gone sweeps the queue's keys, and a sweep landing between obliterate's
   * pause and its removal (which checks the pause) failed the study at its
   * very end ("Cannot obliterate non-paused queue"). Should a sweep still
   * come first, what is left is removed here the same way.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { prefix, hash } = this.opts;
    try {
      try {
        await this.queue.obliterate({ force: true });
      } catch {
        await deleteMatching(this.redis, `${prefix}:${this.queueName}:*`);
      }
      await this.redis.hdel(registryKey(prefix), this.queueName);
      // Another study of the same scenario may still use the scenario's key.
      const others = Object.values(await this.redis.hgetall(registryKey(prefix))).some((v) => (JSON.parse(v) as StudyEntry).hash === hash);
      if (!others) await this.redis.del(scenarioKey(prefix, hash));
    } finally {
      await this.events.close();
      await this.queue.close();
      this.redis.disconnect();
    }
  }
}

function completedResult(returnvalue: unknown): RunResult {
  if (typeof returnvalue !== 'string') return { ok: false, error: 'a worker returned no result' };
  return { ok: true, metrics: unpackText<Metrics>(returnvalue) };
}

function failedResult(reason: string | undefined): RunResult {
  if (reason === STALLED_REASON) {
    return { ok: false, error: 'its worker stopped while running it, again and again (killed, or out of memory)' };
  }
  return { ok: false, error: reason === undefined || reason === '' ? 'failed on a worker' : reason };
}
