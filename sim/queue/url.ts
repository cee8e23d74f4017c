/**
 * The queue's address: `redis://[user[:password]@]host[:port][/db]`, or
 * `rediss://` for TLS. The password may also come from
 * MESHTUNE_QUEUE_PASSWORD, so it need not sit in a shell history. A
 * password never leaves this file except inside the connection options:
 * everything printed or stored uses `shown`, which has none.
 */
import { InputError } from '../scenario/errors.js';

/** Options handed to the Redis client (ioredis's names). */
export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: Record<string, never>;
}

export interface QueueAddress {
  connection: RedisConnection;
  /** The address without user or password, safe to print and store. */
  shown: string;
}

export const DEFAULT_REDIS_PORT = 6379;
/** Redis's default build has 16 databases; a larger index is refused by the server anyway. */
const MAX_DB = 65535;

/** The address as given with its password cut out and its user kept (`redis://user@host/db`): to be given again; null when it had no password. */
export function withoutPassword(text: string): string | null {
  const cut = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^:@/]*):[^@/]*@/i, '$1$2@');
  return cut === text ? null : cut;
}

/** The address as given, with any password cut out: for error messages about the address itself. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

/**
 * Parses `--queue` (or MESHTUNE_QUEUE). `option` names the flag in errors;
 * `envPassword` is MESHTUNE_QUEUE_PASSWORD, used when the URL has none.
 */
export function parseQueueUrl(text: string, option = 'queue', envPassword: string | undefined = process.env.MESHTUNE_QUEUE_PASSWORD): QueueAddress {
  const bad = (why: string): InputError =>
    new InputError('', option, `expected redis://host[:port][/db] or rediss://… (${why}), got '${redactUrl(text)}'`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('not a URL');
  }
  const tls = url.protocol === 'rediss:';
  if (url.protocol !== 'redis:' && !tls) throw bad(`scheme ${url.protocol.replace(/:$/, '')} is neither redis nor rediss`);
  if (url.hostname === '') throw bad('no host');
  const port = url.port === '' ? DEFAULT_REDIS_PORT : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw bad(`the database '${dbText}' is not a number`);
  const db = dbText === '' ? 0 : Number(dbText);
  if (db > MAX_DB) throw bad(`the database ${db} is out of range`);
  if (url.search !== '' || url.hash !== '') throw bad('no query or fragment is read');
  const password = url.password !== '' ? decodeURIComponent(url.password) : envPassword !== undefined && envPassword !== '' ? envPassword : undefined;
  const username = url.username !== '' ? decodeURIComponent(url.username) : undefined;
  // IPv6 hosts keep their brackets in `hostname`; the client wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const connection: RedisConnection = {
    host,
    port,
    db,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(tls ? { tls: {} } : {}),
  };
  return { connection, shown: `${url.protocol}//${url.host}/${db}` };
}
