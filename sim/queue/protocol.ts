/**
 * What the coordinator and the workers agree on in Redis. Under the key
 * prefix (default `meshtune`):
 *
 * - `<prefix>:studies`, a hash: a study's queue name → its {@link StudyEntry},
 *   how workers find the studies open now;
 * - `<prefix>:scenario:<hash>`: the study's scenario, loaded and packed
 *   (msgpack), so a worker needs no files: any machine with the same
 *   meshtune version can evaluate;
 * - the BullMQ queue `study-<study id>`, one job per simulation.
 *
 * Tasks and results travel as msgpack, not JSON: a configuration or a metric
 * may be Infinity or NaN, and every double must come back bit for bit.
 */
import { createHash } from 'node:crypto';
import { pack, unpack } from 'msgpackr';
import type { RunTask } from '../runner/task.js';

export const DEFAULT_PREFIX = 'meshtune';
/** BullMQ's defaults: a dead worker's job is taken over within about a minute. */
export const DEFAULT_STALL_MS = 30_000;
/** A job that stopped its worker three times (two retries) fails: a fourth machine would likely die too. */
export const DEFAULT_MAX_STALLS = 2;
/** BullMQ's job name for a simulation (one kind of job per queue). */
export const JOB_NAME = 'evaluate';

/** A study as workers see it in the registry. */
export interface StudyEntry {
  /** meshtune version of the coordinator: a worker of another version leaves the study alone. */
  version: string;
  /** Content hash of the scenario (`scenarioHash`). */
  hash: string;
}

/** A job's data. */
export interface JobData {
  version: string;
  hash: string;
  /** The RunTask, msgpack in base64. */
  task: string;
}

/**
 * A study's queue: its id and when it started, which a resumed study reads
 * back from study.json, so it finds its queue again; two folders of the same
 * name started apart get queues of their own. BullMQ refuses ':' in a queue
 * name (it separates the parts of its keys).
 */
export function queueNameOf(studyId: string, createdAt = ''): string {
  const stamp = createdAt.replace(/[^0-9]/g, '');
  return `study-${studyId}${stamp === '' ? '' : `-${stamp}`}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function registryKey(prefix: string): string {
  return `${prefix}:studies`;
}

export function scenarioKey(prefix: string, hash: string): string {
  return `${prefix}:scenario:${hash}`;
}

/**
 * A task's job id: a digest of the scenario's hash and the task, so the same simulation asked
 * again (a resumed coordinator) finds the job already there, finished or not,
 * instead of running it twice. The 't' keeps it from being all digits, which
 * BullMQ reserves for its own ids.
 */
export function jobIdOf(hash: string, task: RunTask): string {
  return `t${createHash('sha256').update(hash).update(pack(task)).digest('hex').slice(0, 32)}`;
}

export function packToText(value: unknown): string {
  return Buffer.from(pack(value)).toString('base64');
}

export function unpackText<T>(text: string): T {
  return unpack(Buffer.from(text, 'base64')) as T;
}
