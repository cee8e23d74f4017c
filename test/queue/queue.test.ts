/**
 * The queue against a real Redis (127.0.0.1:6379 unless MESHTUNE_TEST_REDIS
 * names another): every key lives under a prefix of this process and is
 * removed at the end.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { optimize } from '../../sim/api/optimize.js';
import { DEFAULT_MAX_STALLS, parseQueueUrl, queueNameOf } from '../../sim/queue/index.js';
import { checkReachable, deleteMatching, QueueRunner, QueueWorker } from '../../sim/queue/runtime.js';
import { jobIdOf } from '../../sim/queue/protocol.js';
import { loadScenario } from '../../sim/scenario/index.js';
import { InputError } from '../../sim/scenario/errors.js';
import { runStudy, type StudySettings } from '../../sim/study/study.js';
import { meshtuneVersion, scenarioHash, toJson } from '../../sim/study/persist.js';
import { DEFAULT_STRATEGY } from '../../sim/study/strategies/index.js';
import type { EvaluationRecord, RunTask } from '../../sim/study/types.js';
import { removeTemporary, tempDir, withoutEngine } from '../helpers.js';
import { InlineRunner, fixture, root } from '../study/helpers.js';
import { until } from './until.js';

process.env.MESHTUNE_TEST_HOOKS = '1';

const url = process.env.MESHTUNE_TEST_REDIS ?? 'redis://127.0.0.1:6379/0';
const address = parseQueueUrl(url);
const prefix = `meshtune-test-${process.pid}`;
const small = fixture('small.yaml');
const scenario = loadScenario(small);
const hash = scenarioHash(scenario);
const version = meshtuneVersion();
const FAST_STALL_MS = 400;

const open = (studyId: string, over: { version?: string; notes?: string[] } = {}) =>
  QueueRunner.open({ address, prefix, studyId, scenario, hash, version: over.version ?? version, onNote: (n) => over.notes?.push(n) });
const worker = (over: { lines?: string[]; threads?: boolean } = {}) =>
  QueueWorker.start({ address, prefix, concurrency: 1, version, stallMs: FAST_STALL_MS, pollMs: 100, threads: over.threads ?? false, onLine: (l) => over.lines?.push(l) });

// Two workers on this thread serve every study of this file but the last,
// which spawns \`meshtune worker\` (threads cost a second of start-up each under tsx).
const lines: string[] = [];
let shared: QueueWorker[] = [];
test.before(async () => {
  shared = [await worker({ lines }), await worker()];
});


/**
 * The keys of queue `name` once the workers that served it have left: a
 * worker still polling it keeps writing BullMQ's bookkeeping keys until its
 * next registry poll (100 ms here) sees the study gone, then sweeps them.
 * Polled for up to 5 s.
 */
async function keysOnceLeft(redis: Redis, name: string): Promise<string[]> {
  let left = await redis.keys(`${prefix}:${name}:*`);
  for (let i = 0; i < 50 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = await redis.keys(`${prefix}:${name}:*`);
  }
  return left;
}

/** Removes every key of this test process. */
async function dropKeys(): Promise<void> {
  const redis = new Redis(address.connection);
  await deleteMatching(redis, `${prefix}:*`);
  redis.disconnect();
}

test.after(async () => {
  // The shared workers hold connections open: a test that failed before the
  // last one closes them must not keep this process alive.
  await Promise.all(shared.map((w) => w.close()));
  removeTemporary();
  await dropKeys();
});

const settings: StudySettings = {
  scenarioPath: small,
  mode: 'performance',
  budget: 8,
  seed: 3,
  strategy: DEFAULT_STRATEGY,
  confirmReplications: 3,
  evidence: false,
};

test('a study on the queue with two workers writes the same log and the same best configuration as one local thread', async () => {
  const logOf = (records: EvaluationRecord[]) => records.map(({ wallMs: _w, ...r }) => toJson(r)).join('\n');
  const local: EvaluationRecord[] = [];
  const expected = await runStudy(scenario, settings, new InlineRunner(), { onEvaluation: (r) => local.push(r) });
  const workers = shared;
  const before = workers.map((w) => w.done);
  const runner = await open('determinism');
  const remote: EvaluationRecord[] = [];
  try {
    // Both workers on the study's queue before its jobs are: a worker finds a study at its next
    // registry poll, and a loaded machine could delay one past this small study's whole run.
    await until('both workers to join the study', async () => (await runner.connectedWorkers()) === 2, 5_000, 50);
    const got = await runStudy(scenario, settings, runner, { onEvaluation: (r) => remote.push(r) });
    // A count is one CLIENT LIST: BullMQ closes and reopens a worker's
    // blocking connection when a wait overruns (its watchdog, under load), and
    // a worker is not listed in between. Both must show within a few polls.
    let seen = 0;
    await until('both workers to be seen', async () => (seen = await runner.connectedWorkers()) === 2, 5_000, 100).catch(() => {});
    assert.is(seen, 2, 'both workers are seen');
    assert.is(toJson(got.recommendation.config, 2), toJson(expected.recommendation.config, 2), 'best-config.json');
    assert.ok(local.length > 4, `${local.length} evaluations`);
    assert.is(logOf(remote), logOf(local), 'evaluations.jsonl');
    assert.ok(workers[0]!.done > before[0]! && workers[1]!.done > before[1]!, `both worked: ${workers[0]!.done} + ${workers[1]!.done}`);
  } finally {
    await runner.close();
  }
  // The study's keys leave Redis with it: the coordinator removes them, and
  // the workers what their last stalled-jobs check wrote as they leave (one poll).
  const redis = new Redis(address.connection);
  assert.equal(await keysOnceLeft(redis, queueNameOf('determinism')), []);
  assert.is(await redis.exists(`${prefix}:scenario:${hash}`), 0);
  redis.disconnect();
});

test('a worker that stops while leaving an ended study has swept its keys by the time close returns', async () => {
  const name = queueNameOf('leaving');
  let joined = false;
  let stopped: Promise<void> | null = null;
  const redis = new Redis(address.connection);
  const w: QueueWorker = await QueueWorker.start({
    address, prefix, concurrency: 1, version, stallMs: FAST_STALL_MS, pollMs: 100, threads: false,
    onLine: (l) => {
      if (l === `meshtune worker: working on ${name}`) joined = true;
      if (l === `meshtune worker: ${name} is over`) {
        // What the stalled-jobs check of a worker still polling the ended queue
        // writes back, sent before the sweep's first command; then the worker
        // is stopped at once, while its worker of the study is still closing.
        void redis.set(`${prefix}:${name}:stalled-check`, '1');
        stopped = w.close();
      }
    },
  });
  const runner = await open('leaving');
  try {
    await until('the worker to join the study', () => joined);
    await runner.close();
    await until('the worker to see the study end', () => stopped !== null);
    await stopped;
    assert.equal(await redis.keys(`${prefix}:${name}:*`), [], 'swept before close returned');
  } finally {
    await w.close();
    redis.disconnect();
  }
});

test('a worker sweeping an ended study\'s keys while the coordinator obliterates its queue does not fail the study', async () => {
  const name = queueNameOf('swept');
  const redis = new Redis(address.connection);
  const runner = await open('swept');
  try {
    // The interleaving a loaded machine produced: the queue paused for obliterate,
    // then every key of it swept (meta and its pause with it), then obliterate's removal.
    const queue = (runner as unknown as { queue: Queue }).queue;
    const pause = queue.pause.bind(queue);
    queue.pause = async () => {
      await pause();
      await deleteMatching(redis, `${prefix}:${name}:*`);
    };
    await runner.close();
    // The shared workers may have joined it: they leave within a poll.
    assert.equal(await keysOnceLeft(redis, name), []);
    assert.is(await redis.hexists(`${prefix}:studies`, name), 0);
  } finally {
    redis.disconnect();
  }
});

test('a bad, unreachable or refusing queue is one line naming --queue, without the password, before any work', async () => {
  const refusals: Array<[string, RegExp]> = [
    ['redis://127.0.0.1:1/0', /cannot use the queue at redis:\/\/127\.0\.0\.1:1\/0: ECONNREFUSED/],
    // The server has no password: AUTH with one is refused.
    ['redis://nobody:sekrit@127.0.0.1:6379/0', /cannot use the queue at redis:\/\/127\.0\.0\.1:6379\/0: WRONGPASS/],
    // A database the server does not have (16 by default).
    ['redis://127.0.0.1:6379/99', /cannot use the queue at redis:\/\/127\.0\.0\.1:6379\/99: ERR DB index is out of range/],
  ];
  for (const [text, expected] of refusals) {
    let err: unknown = null;
    try {
      await checkReachable(parseQueueUrl(text));
    } catch (e) {
      err = e;
    }
    assert.instance(err, InputError, text);
    assert.match((err as Error).message, expected);
    assert.not.match((err as Error).message, /sekrit/);
  }
  const out = path.join(tempDir('queue'), 'study');
  let err: unknown = null;
  try {
    await optimize('performance', small, { out, budget: 5, queue: 'redis://:sekrit@127.0.0.1:1/0' });
  } catch (e) {
    err = e;
  }
  assert.is((err as InputError).path, 'queue');
  assert.not.match((err as Error).message, /sekrit/);
  assert.not.ok((await import('node:fs')).existsSync(out), 'no study folder');
});

const task = (over: Partial<RunTask> = {}): RunTask => ({ scenarioPath: small, fraction: 1 / 3, config: { routing: { balancer: 'p2c' } }, seed: 5, ...over });

test('a coordinator that dies leaves its jobs; the resumed one takes their results without running them again', async () => {
  const first = await open('resume');
  const q = new Queue(queueNameOf('resume'), { connection: address.connection, prefix });
  const done = () => shared[0]!.done + shared[1]!.done;
  const before = done();
  void first.run(task({ seed: 11 }));
  await until('the job to be queued', async () => (await q.getJob(jobIdOf(hash, task({ seed: 11 })))) !== undefined);
  await first.detach();
  try {
    await until('the job to finish while no coordinator listens', async () => (await q.getCompletedCount()) === 1);
    const again = await open('resume');
    try {
      const r = await again.run(task({ seed: 11 }));
      assert.ok(r.ok);
      assert.is(done() - before, 1, 'run once');
      const local = await new InlineRunner().run(task({ seed: 11 }));
      assert.equal(r.ok && withoutEngine(r.metrics), local.ok && withoutEngine(local.metrics));
    } finally {
      await again.close();
    }
  } finally {
    await q.close();
  }
});

test('a worker of another meshtune version leaves the study alone, in one line', async () => {
  const runner = await open('version', { version: '0.0.0-other' });
  const refusal = `meshtune worker: leaving ${queueNameOf('version')} alone: it runs meshtune 0.0.0-other, this worker is ${version}`;
  try {
    await until('the worker to see the study', () => lines.includes(refusal));
    assert.is(lines.filter((l) => l === refusal).length, 1, 'said once');
    assert.not.ok(lines.includes(`meshtune worker: working on ${queueNameOf('version')}`));
  } finally {
    await runner.close();
  }
});

test('Redis loses the study mid-flight (connections cut, keys gone): both sides reconnect, the study is queued again and every result comes back', async () => {
  const notes: string[] = [];
  const runner = await open('cut', { notes });
  try {
    const tasks = [1, 2, 3, 4, 5, 6].map((i) => task({ seed: 30 + i }));
    const results = Promise.all(tasks.map((t) => runner.run(t)));
    // What a restart of a Redis that keeps nothing on disk does to this test's clients (named after its prefix) and keys.
    await dropKeys();
    const admin = new Redis(address.connection);
    const ours = String(await admin.client('LIST'))
      .split('\n')
      .filter((l) => l.includes(` name=${prefix}:`))
      .map((l) => /id=(\d+)/.exec(l)![1]!);
    assert.ok(ours.length >= 4, `${ours.length} connections`);
    for (const id of ours) await admin.client('KILL', 'ID', id);
    admin.disconnect();
    const got = await results;
    for (const [i, r] of got.entries()) {
      const local = await new InlineRunner().run(tasks[i]!);
      assert.equal(r.ok && withoutEngine(r.metrics), local.ok && withoutEngine(local.metrics), `task ${i}`);
    }
    assert.ok(notes.some((n) => n.includes('lost the queue at redis://')), notes.join(' / '));
  } finally {
    await runner.close();
  }
});

test('a simulation that fails on a worker fails as one evaluation with its cause; the worker goes on', async () => {
  const runner = await open('crash');
  try {
    const [bad, good] = await Promise.all([runner.run(task({ config: { __crash: 'throw' } as RunTask['config'] })), runner.run(task({ seed: 6 }))]);
    assert.equal(bad, { ok: false, error: 'test hook: deliberate failure' });
    assert.ok(good.ok, 'the next simulation runs');
  } finally {
    await runner.close();
  }
});

test('meshtune worker: killed mid-simulation, its job is taken over and comes back once, as run locally', async () => {
  // The spawned worker must be the one to take the jobs: the shared ones stop first.
  await Promise.all(shared.map((w) => w.close()));
  const runner = await open('killed');
  const q = new Queue(queueNameOf('killed'), { connection: address.connection, prefix });
  let child: ChildProcess | null = null;
  let rescuer: QueueWorker | null = null;
  const local = async (t: RunTask) => {
    const r = await new InlineRunner().run(t);
    return r.ok && withoutEngine(r.metrics);
  };
  try {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'sim/cli/main.ts'), 'worker', '--queue', url, '--concurrency', '1'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MESHTUNE_QUEUE_PREFIX: prefix, MESHTUNE_QUEUE_STALL_MS: String(FAST_STALL_MS), MESHTUNE_TEST_SLEEP_MS: '60000' },
    });
    const good = await runner.run(task({ seed: 20 }));
    assert.equal(good.ok && withoutEngine(good.metrics), await local(task({ seed: 20 })), 'a result from a thread of another process');
    const sleepy = task({ seed: 21, config: { routing: { balancer: 'p2c' }, __sleep: true } as RunTask['config'] });
    const result = runner.run(sleepy);
    await until('the spawned worker to start the simulation', async () => (await q.getActiveCount()) === 1, 15_000);
    child.kill('SIGKILL');
    rescuer = await worker();
    const r = await result;
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(withoutEngine(r.ok ? r.metrics : ({} as never)), await local(task({ seed: 21 })));
    assert.is(rescuer.done, 1);
    const job = await q.getJob(jobIdOf(hash, sleepy));
    assert.is(await job!.getState(), 'completed');
    assert.is(job!.stalledCounter, 1, 'it stalled once, when its worker died');
    assert.is((await q.getJobs(['completed'])).length, 2, 'the good and the taken-over job, once each');
  } finally {
    child?.kill('SIGKILL');
    await rescuer?.close();
    await q.close();
    await runner.close();
  }
});

test('a job that kills its worker three times (a configuration that runs out of memory) fails as one evaluation with its cause, not the study', async () => {
  // The shared workers would run the job: they are closed (by the test above, or here).
  await Promise.all(shared.map((w) => w.close()));
  const name = queueNameOf('oom');
  const runner = await open('oom');
  const q = new Queue(name, { connection: address.connection, prefix });
  const doomed = task({ seed: 40 });
  const jobId = jobIdOf(hash, doomed);
  let survivor: QueueWorker | null = null;
  try {
    const result = runner.run(doomed);
    // Three workers that die holding the job. To Redis, a SIGKILLed process (the
    // test above) is a lock no longer renewed and its connections gone; a BullMQ
    // worker closed by force mid-job is the same, without a process to start each time.
    for (let death = 1; death <= 3; death++) {
      const dying = new Worker(name, () => new Promise<never>(() => {}), {
        connection: address.connection,
        prefix,
        lockDuration: FAST_STALL_MS,
        stalledInterval: FAST_STALL_MS,
        maxStalledCount: DEFAULT_MAX_STALLS,
      });
      dying.on('error', () => {});
      await until(`worker ${death} to take the job`, async () => (await q.getJob(jobId))?.attemptsStarted === death);
      await dying.close(true);
    }
    // A meshtune worker still alive finds the third stall and fails the job; it never runs it.
    survivor = await worker();
    const r = await result;
    assert.equal(r, { ok: false, error: 'its worker stopped while running it, again and again (killed, or out of memory)' });
    const job = await q.getJob(jobId);
    assert.is(await job!.getState(), 'failed');
    assert.is(job!.stalledCounter, 3, 'failed at its third stall, as DEFAULT_MAX_STALLS allows');
    assert.is(survivor.done, 0);
    // The study goes on: its next simulation runs, on the surviving worker.
    const next = await runner.run(task({ seed: 41 }));
    assert.ok(next.ok, next.ok ? '' : next.error);
    assert.is(survivor.done, 1);
  } finally {
    await survivor?.close();
    await q.close();
    await runner.close();
  }
});

test.run();
