/**
 * A paired speed comparison of two builds on one scenario:
 *
 *   npm run bench pair -- --base <checkout> [--scenario <file>] [--rounds <n>] [--sequential | --warm] [--out <dir>]
 *
 * `<checkout>` is another checkout of meshtune with its `dist/` built (a git
 * worktree of the baseline commit after `npm run build`, say). Each round runs
 * the scenario once in a fresh process of each build, both at the same time,
 * one per core (pinned with `taskset` where it exists), the cores swapping every
 * round; it reports the candidate's (this checkout's) simulation time relative
 * to the baseline's, with a 95% CI (bench/lib/paired.ts). On a shared host whose
 * speed moves by tens of percent between minutes, a ratio of two runs made at
 * the same moment is steadier than two medians taken minutes apart. The two
 * processes of a round share the last-level cache and the memory bus, though,
 * which weighs memory behaviour more than a run alone does; `--sequential`
 * runs them one after the other instead, unpinned, the order swapping every
 * round (the ratio of two runs seconds apart, as the scenario benchmark sees
 * a run). Both compare first runs, of which V8's warm-up is a large part;
 * `--warm` loads both builds into one process and alternates their runs
 * after one run each (bench/lib/warm-pair-child.ts): the compiled code alone,
 * as a study's workers run it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collectEnv } from './lib/env.js';
import { pairedRatio, type PairedRound } from './lib/paired.js';
import { DEFAULT_RESULTS_DIR } from './lib/results.js';
import { userPath } from './lib/args.js';
import type { ChildSample } from './lib/scenario-child.js';

const CHILD = path.join('dist', 'bench', 'lib', 'scenario-child.js');
const WARM_CHILD = path.join('dist', 'bench', 'lib', 'warm-pair-child.js');

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      base: { type: 'string' },
      scenario: { type: 'string', default: path.join('scenarios', 'p2p-10k.yaml') },
      rounds: { type: 'string', default: '16' },
      sequential: { type: 'boolean', default: false },
      warm: { type: 'boolean', default: false },
      out: { type: 'string', default: DEFAULT_RESULTS_DIR },
    },
  });
  const rounds = Number(values.rounds);
  const fail = (msg: string): void => {
    process.stderr.write(`bench pair: ${msg}\n`);
    process.exitCode = 2;
  };
  if (values.base === undefined) return fail('--base <checkout> is required: another checkout of meshtune with dist/ built');
  const baseChild = path.resolve(userPath(values.base), CHILD);
  if (!existsSync(baseChild)) return fail(`${baseChild} not found: build the baseline first (npm run build in ${values.base})`);
  if (!(Number.isInteger(rounds) && rounds >= 4 && rounds % 2 === 0)) return fail(`--rounds must be an even integer ≥ 4, got '${values.rounds}'`);
  const scenario = userPath(values.scenario);
  if (!existsSync(scenario)) return fail(`scenario ${scenario} not found`);

  const sequential = values.sequential === true;
  const warm = values.warm === true;
  if (warm && sequential) return fail('--warm and --sequential are two ways of running the builds: give one');
  const pin = !sequential && !warm && spawnSync('taskset', ['--version']).status === 0;
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const how = warm
    ? ', warm, in one process'
    : sequential
      ? ', one after the other'
      : pin
        ? ', at once, pinned one per core'
        : ', at once (taskset not found: not pinned)';
  // Rounds in which the candidate ran first are marked 0 in the sequential and warm modes.
  const ordered = sequential || warm;
  log(`bench pair: ${path.basename(scenario)}, ${rounds} rounds, base ${values.base}${how}`);
  const measured: PairedRound[] = warm ? await runWarm(values.base, scenario, rounds, log) : [];
  for (let r = 0; r < (warm ? 0 : rounds); r++) {
    // The candidate's core, or in sequence 1 when it runs second.
    const candidateCore = r % 2;
    const candidateChild = path.resolve(CHILD);
    let base: ChildSample;
    let candidate: ChildSample;
    if (sequential && candidateCore === 0) {
      candidate = await runChild(candidateChild, scenario, -1);
      base = await runChild(baseChild, scenario, -1);
    } else if (sequential) {
      base = await runChild(baseChild, scenario, -1);
      candidate = await runChild(candidateChild, scenario, -1);
    } else {
      [base, candidate] = await Promise.all([
        runChild(baseChild, scenario, pin ? 1 - candidateCore : -1),
        runChild(candidateChild, scenario, pin ? candidateCore : -1),
      ]);
    }
    if (base.events !== candidate.events) log(`  note: the builds ran different numbers of events (${base.events} and ${candidate.events}): they do not simulate the same model`);
    measured.push({ baseMs: base.simulateMs, candidateMs: candidate.simulateMs, candidateCore });
    const where = sequential ? (candidateCore === 0 ? 'first' : 'second') : `core ${candidateCore}`;
    log(`  [${r + 1}/${rounds}] base ${base.simulateMs.toFixed(0)} ms, candidate ${candidate.simulateMs.toFixed(0)} ms (${where}): ${(candidate.simulateMs / base.simulateMs).toFixed(3)}`);
  }
  const s = pairedRatio(measured);
  const env = collectEnv();
  const md =
    `# Paired comparison: ${path.basename(scenario)}\n\n` +
    `Node ${env.node} · ${env.cpu} · ${env.cores} cores · ${env.os} · ${env.date} · commit ${env.commit}; baseline ${values.base}; ` +
    `${warm ? 'warm: both builds in one process after a run each, alternating, order swapping every round' : sequential ? 'one after the other, order swapping every round' : 'at the same time, one per core, cores swapping every round'}\n\n` +
    `Candidate / baseline simulation time: **${s.ratio.toFixed(3)}** (95% CI ${s.ci[0].toFixed(3)}–${s.ci[1].toFixed(3)}, ` +
    `${s.units} balanced pairs of rounds); < 1 means the candidate is faster.\n\n` +
    `| round | candidate ${ordered ? 'runs' : 'core'} | baseline ms | candidate ms | ratio |\n| ---: | ---: | ---: | ---: | ---: |\n` +
    measured
      .map((m, i) => `| ${i + 1} | ${ordered ? (m.candidateCore === 0 ? 'first' : 'second') : m.candidateCore} | ${m.baseMs.toFixed(0)} | ${m.candidateMs.toFixed(0)} | ${(m.candidateMs / m.baseMs).toFixed(3)} |`)
      .join('\n') +
    '\n';
  const out = userPath(values.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'pair.json'), `${JSON.stringify({ env, base: values.base, scenario: values.scenario, sequential, warm, rounds: measured, summary: s }, null, 2)}\n`);
  writeFileSync(path.join(out, 'pair.md'), md);
  process.stdout.write(md);
}

/** `--warm`: one process of bench/lib/warm-pair-child.ts runs every round. */
async function runWarm(base: string, scenario: string, rounds: number, log: (line: string) => void): Promise<PairedRound[]> {
  const child = path.resolve(WARM_CHILD);
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(process.execPath, [child, base, scenario, String(rounds)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`${child} exited with ${code}: ${err.trim()}`))));
  });
  const res = JSON.parse(out) as { rounds: PairedRound[]; baseEvents: number; candidateEvents: number };
  if (res.baseEvents !== res.candidateEvents) log(`  note: the builds ran different numbers of events (${res.baseEvents} and ${res.candidateEvents}): they do not simulate the same model`);
  res.rounds.forEach((m, r) => log(`  [${r + 1}/${rounds}] base ${m.baseMs.toFixed(0)} ms, candidate ${m.candidateMs.toFixed(0)} ms (${m.candidateCore === 0 ? 'first' : 'second'}): ${(m.candidateMs / m.baseMs).toFixed(3)}`));
  return res.rounds;
}

/** One scenario-child run of a build, pinned to `core` (−1: not pinned). */
function runChild(child: string, scenario: string, core: number): Promise<ChildSample> {
  const cmd = core >= 0 ? 'taskset' : process.execPath;
  const args = core >= 0 ? ['-c', String(core), process.execPath, child, scenario, '1'] : [child, scenario, '1'];
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`${child} exited with ${code}: ${err.trim()}`));
      else resolve(JSON.parse(out) as ChildSample);
    });
  });
}
