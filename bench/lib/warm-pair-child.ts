/**
 * `bench pair --warm`: both builds in one process, their runs alternating.
 *
 *   node dist/bench/lib/warm-pair-child.js <base checkout> <scenario-file> <rounds>
 *
 * Loads, compiles and runs the scenario once with each build (the warm-up:
 * V8 compiles each build's own copy of the code), then `rounds` more times
 * each, the candidate (this checkout) first in even rounds and second in
 * odd ones. A first run in a fresh process is mostly the JIT's warm-up; this
 * measures the compiled code, which is what a study's workers run for
 * hundreds of simulations, and cancels the host's drift between the two
 * builds by running them seconds apart. Prints one JSON line: the rounds as
 * {baseMs, candidateMs, candidateCore} (candidateCore: 0 = the candidate ran
 * first) and both builds' event counts.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Run = () => { ms: number; events: number };

/** A run of `file` with the build whose `dist` is at `dist`. */
async function loadBuild(dist: string, file: string): Promise<Run> {
  const at = (p: string): string => pathToFileURL(path.join(dist, p)).href;
  const { loadScenario } = (await import(at('sim/scenario/index.js'))) as typeof import('../../sim/scenario/index.js');
  const { compileScenario } = (await import(at('sim/model/index.js'))) as typeof import('../../sim/model/index.js');
  const { runOnce } = (await import(at('sim/runner/index.js'))) as typeof import('../../sim/runner/index.js');
  const scenario = loadScenario(file);
  const compiled = compileScenario(scenario);
  return () => {
    const m = runOnce(compiled, scenario.config, scenario.seed);
    return { ms: m.engine.wallMs, events: m.engine.events };
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const [baseCheckout, file, roundsText] = argv;
  const rounds = Number(roundsText);
  if (baseCheckout === undefined || file === undefined || !Number.isInteger(rounds) || rounds < 1) {
    process.stderr.write('usage: node warm-pair-child.js <base checkout> <scenario-file> <rounds>\n');
    return 2;
  }
  // This file is dist/bench/lib/warm-pair-child.js: the candidate's dist is two levels up.
  const candidateDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const base = await loadBuild(path.resolve(baseCheckout, 'dist'), file);
  const candidate = await loadBuild(candidateDist, file);
  const warm = [base(), candidate()];
  const out: Array<{ baseMs: number; candidateMs: number; candidateCore: number }> = [];
  for (let r = 0; r < rounds; r++) {
    const candidateFirst = r % 2 === 0;
    const c1 = candidateFirst ? candidate() : null;
    const b = base();
    const c = c1 ?? candidate();
    out.push({ baseMs: b.ms, candidateMs: c.ms, candidateCore: candidateFirst ? 0 : 1 });
  }
  process.stdout.write(`${JSON.stringify({ rounds: out, baseEvents: warm[0]!.events, candidateEvents: warm[1]!.events })}\n`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
