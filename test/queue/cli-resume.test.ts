/**
 * `meshtune optimize --queue` as a user runs it: a coordinator process
 * killed with SIGKILL mid-study, results arriving while it is down, and
 * `optimize --resume` with the same queue finishing the study as an
 * uninterrupted one. The queue is reached as a Redis user with a password
 * (an ACL user of this process, allowed only its own keys, removed at the
 * end), so the test also sees that the password is never written or printed.
 *
 * Redis: 127.0.0.1:6379 unless MESHTUNE_TEST_REDIS names another; database
 * DB and a prefix of this process, every key removed at the end.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { optimize } from '../../sim/api/optimize.js';
import { parseQueueUrl, queueNameOf } from '../../sim/queue/index.js';
import { deleteMatching, QueueWorker } from '../../sim/queue/runtime.js';
import { meshtuneVersion } from '../../sim/study/persist.js';
import { removeTemporary, tempDir } from '../helpers.js';
import { fixture, root } from '../study/helpers.js';
import { until as poll } from './until.js';

const server = parseQueueUrl(process.env.MESHTUNE_TEST_REDIS ?? 'redis://127.0.0.1:6379/0').connection;
const DB = 5;
const prefix = `meshtune-cli-test-${process.pid}`;
const user = prefix;
const PASSWORD = 'sekrit-7f3a';
const at = `${server.host}:${server.port}/${DB}`;
const urlWithPassword = `redis://${user}:${PASSWORD}@${at}`;
/** The same queue, its password from MESHTUNE_QUEUE_PASSWORD instead. */
const urlWithoutPassword = `redis://${user}@${at}`;
const small = fixture('small.yaml');
const STUDY = ['optimize', 'performance', small, '--budget', '8', '--seed', '3'];
const env = { ...process.env, MESHTUNE_QUEUE_PREFIX: prefix, MESHTUNE_QUEUE: '' };

const admin = new Redis({ ...server, db: DB });
const workers: QueueWorker[] = [];
const children: ChildProcess[] = [];

const worker = async (lines: string[]): Promise<QueueWorker> => {
  const w = await QueueWorker.start({
    address: parseQueueUrl(urlWithPassword),
    prefix,
    concurrency: 1,
    version: meshtuneVersion(),
    pollMs: 100,
    threads: false,
    onLine: (l) => lines.push(l),
  });
  workers.push(w);
  return w;
};

/** Child processes under tsx start slowly: a longer wait than queue.test's. */
const until = (what: string, ok: () => Promise<boolean> | boolean) => poll(what, ok, 30_000, 25);

const lineCount = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').length : 0);
const withoutWall = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const { wallMs: _w, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return JSON.stringify(rest);
    });

interface Child {
  process: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'sim/cli/main.ts'), ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return { process: child, stderr: () => stderr, exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

test.before(async () => {
  // A user of this test only: its password, its keys, the commands BullMQ needs.
  await admin.call('ACL', 'SETUSER', user, 'reset', 'on', `>${PASSWORD}`, `~${prefix}:*`, '&*', '+@all');
});

test.after(async () => {
  // A coordinator left running by a failed check would keep serving the queue.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.close()));
  removeTemporary();
  await deleteMatching(admin, `${prefix}:*`);
  await admin.call('ACL', 'DELUSER', user);
  admin.disconnect();
});

test('meshtune optimize --queue killed with SIGKILL mid-study: --resume with the same queue takes the results that came meanwhile and ends as an uninterrupted study; the password is nowhere', async () => {
  const dir = tempDir('queue-cli');
  const lines: string[] = [];

  // The study uninterrupted, through the same queue.
  const refWorker = await worker(lines);
  const reference = path.join(dir, 'reference');
  const ref = await optimize('performance', small, { out: reference, budget: 8, seed: 3, queue: urlWithPassword, queuePrefix: prefix });
  await refWorker.close();
  const refSimulations = refWorker.done;
  assert.ok(lineCount(path.join(reference, 'evaluations.jsonl')) > 4, 'a study of several evaluations');

  // The same study, its coordinator killed once two evaluations are logged.
  const out = path.join(dir, 'killed');
  const log = path.join(out, 'evaluations.jsonl');
  const first = await worker(lines);
  const coordinator = cli([...STUDY, '--out', out, '--queue', urlWithPassword]);
  await until('two evaluations logged', () => lineCount(log) >= 2);
  // No worker serves the study now: the coordinator goes on asking, and waits on the jobs it queued.
  await first.close();
  const study = JSON.parse(readFileSync(path.join(out, 'study.json'), 'utf8')) as { id: string; createdAt: string };
  const queue = new Queue(queueNameOf(study.id, study.createdAt), { connection: { ...server, db: DB, username: user, password: PASSWORD }, prefix });
  /** Jobs not finished: waiting, prioritized, active. */
  const pending = async (): Promise<number> => {
    const c = await queue.getJobCounts();
    return Object.entries(c).reduce((n, [state, k]) => (state === 'completed' || state === 'failed' ? n : n + k), 0);
  };
  try {
    await until('the coordinator to queue a job no worker takes', async () => (await pending()) >= 1);
    assert.not.ok(existsSync(path.join(out, 'report.md')), 'killed mid-study, not after it');
    coordinator.process.kill('SIGKILL');
    assert.is(await coordinator.exit, null, 'killed');
    const logged = lineCount(log);
    const searchedBefore = searchRows(log);

    // Those results arrive while no coordinator listens.
    const second = await worker(lines);
    await until('the left jobs to finish', async () => (await pending()) === 0);
    const whileDown = second.done;
    assert.ok(whileDown >= 1, 'results came while the coordinator was down');

    // Resumed, the password from the environment this time.
    const resumed = cli(['optimize', '--resume', out, '--queue', urlWithoutPassword], { MESHTUNE_QUEUE_PASSWORD: PASSWORD });
    // Bounded, and without keeping the test process alive once the coordinator is done.
    const code = await Promise.race([resumed.exit, new Promise<string>((r) => setTimeout(r, 120_000, 'still running after 2 minutes').unref())]);
    if (typeof code === 'string') resumed.process.kill('SIGKILL');
    const stderr = resumed.stderr();
    assert.is(code, ref.result.recommendation.shortfall === null ? 0 : 1, stderr);
    await second.close();

    // The same study as the uninterrupted one: the same best configuration, the same log but for wall times.
    assert.is(readFileSync(path.join(out, 'best-config.json'), 'utf8'), readFileSync(path.join(reference, 'best-config.json'), 'utf8'), 'best-config.json');
    assert.equal(withoutWall(log), withoutWall(path.join(reference, 'evaluations.jsonl')), 'evaluations.jsonl');
    assert.ok(lineCount(log) > logged, 'the resumed coordinator added to the log');
    // Nothing lost, nothing run twice: the workers ran as many simulations as the uninterrupted study's.
    assert.is(first.done + second.done, refSimulations, `${first.done} + ${second.done} simulations`);
    assert.match(stderr, new RegExp(`resuming .*: ${logged} finished evaluations will not be run again`));

    // The progress line (one every 5 s off a terminal) shows the connected worker and
    // counts the evaluations this process took from the queue on top of the replayed ones.
    const progress = stderr.split('\n').filter((l) => l.startsWith('meshtune: optimize performance:'));
    const counts = progress.map((l) => /, (\d+) evaluations, best .*, 1 queue worker$/.exec(l)).filter((m) => m !== null).map((m) => Number(m[1]));
    assert.ok(counts.length > 0, `a progress line with the worker: ${progress.join(' / ')}`);
    assert.ok(counts.every((n) => n > searchedBefore && n <= searchRows(log)), `${counts.join(', ')} evaluations, ${searchedBefore} replayed, ${searchRows(log)} in all`);

    // The password is in no file of either study, no line of the coordinators and no worker's line.
    const files = [out, reference].flatMap((d) => readdirSync(d).map((f) => path.join(d, f)));
    for (const f of files) assert.not.ok(readFileSync(f, 'utf8').includes(PASSWORD), `${path.basename(path.dirname(f))}/${path.basename(f)}`);
    assert.not.ok(coordinator.stderr().includes(PASSWORD), 'the killed coordinator’s lines');
    assert.not.ok(stderr.includes(PASSWORD), 'the resumed coordinator’s lines');
    assert.not.ok(lines.join('\n').includes(PASSWORD), 'the workers’ lines');
    assert.match(readFileSync(path.join(out, 'study.json'), 'utf8'), new RegExp(`"queue": "redis://${at.replace(/[./]/g, '\\$&')}"`));
  } finally {
    await queue.close();
  }
});

/** Rows of the search, which the progress line counts (not the later phases). */
function searchRows(file: string): number {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && ['search', 'auto'].includes((JSON.parse(l) as { phase: string }).phase)).length;
}

test('a study on a queue no worker serves says so once it has waited, and Ctrl-C tells how to resume it on the same queue, without the password', async () => {
  const out = path.join(tempDir('queue-cli'), 'unserved');
  // Counted every 100 ms: it says so after five empty counts, not 8 s.
  const coordinator = cli([...STUDY, '--out', out, '--queue', urlWithPassword], { MESHTUNE_QUEUE_COUNT_MS: '100' });
  await until('the study to say no worker serves it', () => coordinator.stderr().includes('no worker serves the queue'));
  assert.match(coordinator.stderr(), new RegExp(`no worker serves the queue at redis://${at.replace(/[./]/g, '\\$&')} yet; the study waits for one — start it with: meshtune worker --queue redis://`));
  coordinator.process.kill('SIGINT');
  assert.is(await coordinator.exit, 130);
  const hint = /continue with: meshtune optimize --resume (\S+) --queue (\S+) \(its password in MESHTUNE_QUEUE_PASSWORD\)$/m.exec(coordinator.stderr());
  assert.ok(hint !== null, coordinator.stderr());
  assert.is(hint[2], `redis://${user}@${at}`, 'the queue, its password cut');
  assert.not.ok(coordinator.stderr().includes(PASSWORD));
});

test('meshtune worker stopped with Ctrl-C says what it did and its throughput over the time it served', async () => {
  const w = cli(['worker', '--queue', urlWithPassword, '--concurrency', '1']);
  await until('the worker to wait for studies', () => w.stderr().includes('waiting for studies'));
  w.process.kill('SIGINT');
  assert.is(await w.exit, 0, w.stderr());
  // Its last line can follow the exit event.
  await new Promise<void>((r) => (w.process.stderr!.readableEnded ? r() : w.process.stderr!.once('end', () => r())));
  // (It may have served what the test before left on the queue.)
  assert.ok(/^meshtune worker: [\d,]+ simulations? done, [\d,]+ events in [\d.]+ s: [\d.]+ (k |M )?events\/s$/m.test(w.stderr()), w.stderr());
});

test.run();
