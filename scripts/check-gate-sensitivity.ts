/**
 * Does the gate catch a real slowdown and let a tiny one pass? Builds the
 * engine's event queue with a deliberate extra loop (the test fixture
 * test/fixtures/gate/slow-queue.ts — never the product), calibrates the loop
 * to slow a PHOLD run by 20%, measures both engines interleaved in CPU time,
 * and gates them; then the same at a tenth of the extra work (about 2%).
 * A measurement, so it is a script and not a test: run it on a quiet machine.
 *
 * Run: node --import tsx scripts/check-gate-sensitivity.ts [trials=5]
 */
import { median } from '../sim/metrics/stats.js';
import { compareTask, type BenchTask } from '../sim/gate/index.js';
import { SlowEventQueue } from '../test/fixtures/gate/slow-queue.js';
import { interleavedBench } from '../test/fixtures/gate/tiny-bench.js';

const OPTS = { threshold: 0.05 };
const trials = Number(process.argv[2] ?? 5);

// --- Real timings: an engine with a deliberate extra loop (test/fixtures/gate/slow-queue.ts).
// The normal engine here is the same fixture with its knob at 0: the subclass's
// own extra call costs a few per cent, which is not the effect under test.
// Samples are in CPU time, so that a busy machine's descheduling does not
// swamp a 2% effect.

const EVENTS = 100_000;

/** Measured slowdown (time ratio − 1) of the fixture at `work` against the fixture at 0. */
function slowdown(work: number, samples: number): { base: BenchTask; slow: BenchTask; ratio: number } {
  const normal = new SlowEventQueue(256);
  const slowed = new SlowEventQueue(256);
  slowed.extraWork = work;
  const [base, slow] = interleavedBench(normal, slowed, { samples, events: EVENTS, warmup: 3 });
  return { base, slow, ratio: median(base.samples) / median(slow.samples) - 1 };
}

/** Extra queue operations per pop that slow PHOLD by `target` here and now (a few secant steps). */
function calibrate(target: number): number {
  let work = 0.15;
  for (let step = 0; step < 4; step++) {
    const { ratio } = slowdown(work, 11);
    if (ratio > 0 && Math.abs(ratio - target) < target * 0.1) break;
    work = Math.min(8, work * (ratio > 0.01 ? target / ratio : 4));
  }
  return work;
}

/**
 * A sample set whose median slowdown lies in [lo, hi]: on a busy machine one
 * measurement can land far off, and then it is not the slowdown under test.
 */
function measuredSlowdown(work: number, lo: number, hi: number): ReturnType<typeof slowdown> {
  let m = slowdown(work, 25);
  for (let attempt = 1; attempt < 4 && !(m.ratio >= lo && m.ratio <= hi); attempt++) m = slowdown(work, 25);
  return m;
}

function trial(): { flagged20: boolean; flagged2: boolean; m20: number; m2: number } {
  const work20 = calibrate(0.2);
  const real20 = measuredSlowdown(work20, 0.15, 0.25);
  const c20 = compareTask(real20.base, real20.slow, OPTS);
  // Every extra operation costs the same, so a tenth of the work is a tenth of the slowdown.
  const real2 = measuredSlowdown(work20 / 10, 0, 0.04);
  const c2 = compareTask(real2.base, real2.slow, OPTS);
  return { flagged20: c20.verdict === 'slower', flagged2: c2.verdict === 'slower', m20: real20.ratio, m2: real2.ratio };
}

let caught = 0;
let cried = 0;
for (let i = 0; i < trials; i++) {
  const t = trial();
  if (t.flagged20) caught++;
  if (t.flagged2) cried++;
  process.stdout.write(
    `trial ${i + 1}: 20% (measured ${(t.m20 * 100).toFixed(1)}%) ${t.flagged20 ? 'flagged' : 'MISSED'}; 2% (measured ${(t.m2 * 100).toFixed(1)}%) ${t.flagged2 ? 'FLAGGED' : 'passed'}\n`,
  );
}
process.stdout.write(`20% slowdown flagged in ${caught} of ${trials} trials; 2% slowdown flagged in ${cried} of ${trials}\n`);


