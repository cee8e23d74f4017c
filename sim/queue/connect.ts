/**
 * Connections to the queue's Redis. Before a study or a worker starts any
 * work, one quick connection proves the address answers: a wrong host, port,
 * password or database is bad input (exit 2), named by the address without
 * its password.
 */
import { Redis } from 'ioredis';
import { InputError } from '../scenario/errors.js';
import type { QueueAddress } from './url.js';

/** How long the first connection may take before the address counts as unreachable. */
const PROBE_TIMEOUT_MS = 3000;

/**
 * Options of a long-lived connection: it reconnects after a cut and waits
 * (BullMQ needs `maxRetriesPerRequest: null`); its name (`CLIENT LIST`) says
 * whose it is.
 */
export function longLived(address: QueueAddress, prefix: string): QueueAddress['connection'] & { maxRetriesPerRequest: null; connectionName: string } {
  return { ...workerConnection(address), connectionName: `${prefix}:meshtune` };
}

/**
 * Options of a BullMQ worker's connections: long-lived, but unnamed — BullMQ
 * names them itself (`<prefix>:<queue in base64>`), which is how a study counts
 * the workers serving it; a name of ours, set again by every reconnection,
 * hid them (its progress read "0 queue workers" while one served every job).
 */
export function workerConnection(address: QueueAddress): QueueAddress['connection'] & { maxRetriesPerRequest: null } {
  return { ...address.connection, maxRetriesPerRequest: null };
}

export function redisClient(address: QueueAddress, prefix: string): Redis {
  return new Redis(longLived(address, prefix));
}

/** Deletes every key matching `pattern` (a SCAN pattern), a thousand at a time. */
export async function deleteMatching(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Connects once, without retrying, and checks the server answers; throws an InputError naming `option`. */
export async function checkReachable(address: QueueAddress, option = 'queue'): Promise<void> {
  const client = new Redis({
    ...address.connection,
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The cause (refused, no such host, wrong password) arrives as an event; the promise only says the connection closed.
  let cause: unknown = null;
  client.on('error', (err) => {
    cause ??= err;
  });
  try {
    await client.connect();
    await client.ping();
    // A database the server does not have fails only its SELECT, which the
    // connection reports as an event and then carries on in database 0: asked
    // again here, it is refused where the caller can say so.
    if (address.connection.db !== 0) await client.select(address.connection.db);
  } catch (err) {
    throw new InputError('', option, `cannot use the queue at ${address.shown}: ${causeOf(cause ?? err)}`);
  } finally {
    client.disconnect();
  }
}

/** A client error as a short cause; never the connection options (they hold the password). */
export function causeOf(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && e.code !== '') return e.code;
  return typeof e?.message === 'string' ? e.message.split('\n')[0]! : String(err);
}
