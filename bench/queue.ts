/**
 * The queue's cost (SPEC §7.1), on the build, against a Redis (loopback by default):
 *
 *   npm run bench queue [-- --redis URL] [--rounds N] [--samples N]
 *     what the queue adds to one evaluation (bench/lib/queue-overhead.ts),
 *     written to results/queue/overhead.json;
 *   npm run bench queue -- --study NAME --budget N [--pairs P] [--workers W] [--mode M] [--seed S]
 *     a study of library scenario NAME on W local threads against W queue
 *     workers, alternated P times (bench/lib/queue-study.ts), written to
 *     results/queue/study-NAME-bN.json.
 *
 * Every results file carries the machine, the commit and the load it ran under.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseQueueUrl } from '../sim/queue/index.js';
import { collectEnv } from './lib/env.js';
import { measureOverhead } from './lib/queue-overhead.js';
import { loadNow } from './lib/queue-procs.js';
import { compareStudies } from './lib/queue-study.js';

function option(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
}

function count(argv: string[], name: string, fallback: number): number {
  const text = option(argv, name, String(fallback));
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a whole number from 1, got '${text}'`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  const url = option(argv, '--redis', process.env.MESHTUNE_QUEUE ?? 'redis://127.0.0.1:6379/0');
  const address = parseQueueUrl(url, 'redis');
  const prefix = `meshtune-bench-${process.pid}`;
  // dist/bench/queue.js → the checkout.
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const study = option(argv, '--study', '');
  const loadBefore = loadNow();
  let name: string;
  let result: unknown;
  if (study === '') {
    const rounds = count(argv, '--rounds', 5);
    const samples = count(argv, '--samples', 200);
    say(`bench queue: trivial evaluations, local thread and queue alternately, ${rounds} rounds of ${samples}`);
    result = await measureOverhead(root, url, address, prefix, rounds, samples, say);
    name = 'overhead';
  } else {
    const budget = count(argv, '--budget', 100);
    const pairs = count(argv, '--pairs', 2);
    const workers = count(argv, '--workers', 2);
    const mode = option(argv, '--mode', 'performance');
    const seed = count(argv, '--seed', 1);
    say(`bench queue: ${mode} study of ${study} at budget ${budget}, ${workers} local threads and ${workers} queue workers alternately, ${pairs} pairs`);
    result = await compareStudies({ root, url, shown: address.shown, prefix, scenario: study, mode, budget, seed, pairs, workers, say });
    name = `study-${study}-b${budget}`;
  }
  const doc = { env: collectEnv(root), redis: address.shown, load: { before: loadBefore, after: loadNow() }, ...(result as object) };
  const dir = path.join(root, 'results', 'queue');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  return 0;
}
