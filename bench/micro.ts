import { EventQueue, KeyedUniform, runUntil, Sampler, Stream } from '../sim/engine/index.js';
import type { DistSpec, EventHandler } from '../sim/engine/index.js';
import { runBatchSuite } from './lib/suite.js';
import { batch } from './lib/runner.js';
import type { Batch, BatchTask } from './lib/runner.js';
import { importScale } from './lib/import-scale.js';
import { importOtlp } from './lib/telemetry-task.js';

/**
 * Micro benchmarks of the engine's hot paths: the pending-event set, the run
 * loop, random streams and distribution sampling. Rates are in millions of
 * operations per wall second on one core; the no-op task is the floor set by
 * the batch loop itself.
 *
 * To add a task, append one `batch(name, unit, opsPerSample, make)` line to
 * TASKS: `make` builds the state once and returns `(ops) => checksum`, a loop
 * that performs `ops` operations and returns a number depending on all of them.
 */

/** Seed of every stream here; the figures must not depend on it. */
const SEED = 20240601;
/** Purpose ids local to this suite (no model shares these streams). */
const P_QUEUE = 1;
const P_DRAWS = 2;

/** PHOLD (Fujimoto 1990): logical processes, events per LP, lookahead in simulated ms. */
const PHOLD_LPS = 500;
const PHOLD_EVENTS_PER_LP = 1;
const PHOLD_LOOKAHEAD_MS = 0;
/** Events per PHOLD sample. */
const PHOLD_OPS = 2_000_000;

/** Hold-model pending-set sizes and operations (one pop + one schedule) per sample. */
const HOLD_SMALL = 1_000;
const HOLD_LARGE = 100_000;
const HOLD_OPS = 1_000_000;
/** Skewed hold: pending events, and how far ahead the far half lies (in mean increments). */
const HOLD_SKEWED = 10_000;
const TIMEOUT_AHEAD = 1_000;

/** Draws per RNG and distribution sample. */
const DRAW_OPS = 2_000_000;
/** Iterations per no-op sample. */
const NOOP_OPS = 20_000_000;

/** Spans per import sample (one file of this many spans, imported whole). */
const IMPORT_SPANS = 200_000;

const EXP1: DistSpec = { dist: 'exp', mean: 1 };

/** Loop overhead only: the floor under every other rate in this table. */
function noop(): Batch {
  return (ops) => {
    let acc = 0;
    for (let i = 0; i < ops; i++) acc = (acc + i) | 0;
    return acc;
  };
}

/**
 * Hold model (Jones 1986): keep `pending` events queued; each operation pops
 * the earliest and schedules one at its time plus an Exp(1) increment.
 */
function hold(pending: number): () => Batch {
  return () => {
    const queue = new EventQueue(pending);
    const rng = new Stream(SEED, P_QUEUE);
    const inc = new Sampler(EXP1);
    for (let i = 0; i < pending; i++) queue.schedule(inc.sample(rng), 0, i, 0);
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        queue.pop();
        queue.schedule(queue.time + inc.sample(rng), 0, queue.a, 0);
      }
      return queue.time;
    };
  };
}

/**
 * Hold model with a skewed pending set, the shape that trips calendar
 * queues: each new event is, with even odds, Exp(1) ahead or a "timeout"
 * TIMEOUT_AHEAD + Exp(1) ahead, so half the pending events sit a thousand
 * mean gaps beyond the front and share its buckets.
 */
function holdWithTimeouts(pending: number): () => Batch {
  return () => {
    const queue = new EventQueue(pending);
    const rng = new Stream(SEED, P_QUEUE);
    const inc = new Sampler(EXP1);
    const ahead = (): number => (rng.next() < 0.5 ? 0 : TIMEOUT_AHEAD) + inc.sample(rng);
    for (let i = 0; i < pending; i++) queue.schedule(ahead(), 0, i, 0);
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        queue.pop();
        queue.schedule(queue.time + ahead(), 0, queue.a, 0);
      }
      return queue.time;
    };
  };
}

/**
 * PHOLD's logical processes: each event at LP `a` sends one event to a
 * uniformly random LP after lookahead + Exp(1) simulated ms.
 */
class PholdHandler implements EventHandler {
  /** Events processed per LP (the model's state). */
  readonly visits: Float64Array;

  constructor(
    private readonly queue: EventQueue,
    private readonly rng: Stream,
    private readonly delay: Sampler,
    private readonly lps: number,
    private readonly lookaheadMs: number,
  ) {
    this.visits = new Float64Array(lps);
  }

  handle(kind: number, a: number, _b: number, timeMs: number): void {
    this.visits[a]! += 1;
    const to = this.rng.int(this.lps);
    this.queue.schedule(timeMs + this.lookaheadMs + this.delay.sample(this.rng), kind, to, a);
  }
}

function phold(): Batch {
  const lps = PHOLD_LPS * PHOLD_EVENTS_PER_LP;
  const queue = new EventQueue(lps);
  const rng = new Stream(SEED, P_QUEUE);
  const delay = new Sampler(EXP1);
  const handler = new PholdHandler(queue, rng, delay, PHOLD_LPS, PHOLD_LOOKAHEAD_MS);
  for (let lp = 0; lp < PHOLD_LPS; lp++) {
    for (let k = 0; k < PHOLD_EVENTS_PER_LP; k++) queue.schedule(delay.sample(rng), 0, lp, lp);
  }
  return (ops) => {
    const n = runUntil(queue, handler, Infinity, ops);
    if (n !== ops) throw new Error(`PHOLD ran ${n} of ${ops} events`);
    return queue.time;
  };
}

function streamNext(): Batch {
  const rng = new Stream(SEED, P_DRAWS);
  return (ops) => {
    let acc = 0;
    for (let i = 0; i < ops; i++) acc += rng.next();
    return acc;
  };
}

/** One keyed draw per key, the way a model draws a message's attributes. */
function keyedNext(): Batch {
  const src = new KeyedUniform(SEED, P_DRAWS);
  let key = 0;
  return (ops) => {
    let acc = 0;
    for (let i = 0; i < ops; i++) acc += src.at(key++, 1).next();
    return acc;
  };
}

function sample(spec: DistSpec): () => Batch {
  return () => {
    const rng = new Stream(SEED, P_DRAWS);
    const dist = new Sampler(spec);
    return (ops) => {
      let acc = 0;
      for (let i = 0; i < ops; i++) acc += dist.sample(rng);
      return acc;
    };
  };
}

/** Empirical support: 64 distinct values, so the lookup is not a constant. */
const EMPIRICAL_VALUES = Array.from({ length: 64 }, (_, i) => 0.5 + i / 32);

/** Every micro task, measured in this order. */
export const TASKS: BatchTask[] = [
  batch('no-op (loop floor)', 'Mops/s', NOOP_OPS, noop),
  batch('hold model, 10³ pending', 'Mops/s', HOLD_OPS, hold(HOLD_SMALL)),
  batch('hold model, 10⁵ pending', 'Mops/s', HOLD_OPS, hold(HOLD_LARGE)),
  batch('hold model, 10⁴ pending, half 10³ ahead', 'Mops/s', HOLD_OPS, holdWithTimeouts(HOLD_SKEWED)),
  batch(`PHOLD, ${PHOLD_LPS} LPs`, 'Mevents/s', PHOLD_OPS, phold),
  batch('Stream.next', 'Mdraws/s', DRAW_OPS, streamNext),
  batch('KeyedUniform.at().next', 'Mdraws/s', DRAW_OPS, keyedNext),
  batch('Sampler exp', 'Msamples/s', DRAW_OPS, sample(EXP1)),
  batch('Sampler lognormal', 'Msamples/s', DRAW_OPS, sample({ dist: 'lognormal', mean: 1, cv: 1 })),
  batch('Sampler pareto', 'Msamples/s', DRAW_OPS, sample({ dist: 'pareto', mean: 1, alpha: 2.5 })),
  batch('Sampler weibull', 'Msamples/s', DRAW_OPS, sample({ dist: 'weibull', mean: 1, shape: 1.5 })),
  batch('Sampler uniform', 'Msamples/s', DRAW_OPS, sample({ dist: 'uniform', min: 0, max: 2 })),
  batch('Sampler empirical', 'Msamples/s', DRAW_OPS, sample({ dist: 'empirical', values: EMPIRICAL_VALUES })),
  batch('import otlp (read, derive, fit)', 'Mspans/s', IMPORT_SPANS, importOtlp),
];

/**
 * Suite entry: `npm run bench micro [--quick] [--filter <regex>] [--out <dir>]`.
 * After the batches, the 10-million-span streamed import is measured whole in
 * fresh processes (spans/s and peak RSS; `--filter "10 M"` runs it alone).
 */
export default function main(argv: readonly string[] = []): void {
  runBatchSuite('micro', TASKS, argv, [importScale]);
}
