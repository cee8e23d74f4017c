import type { EventQueue } from '../engine/event-queue.js';
import { Purpose, Stream } from '../engine/rng.js';
import { Sampler } from '../engine/distributions.js';
import type { WorkloadSpec } from '../scenario/types.js';
import {
  MmppArrivals,
  PoissonArrivals,
  SinusoidArrivals,
  TableArrivals,
  type ArrivalProcess,
} from './arrivals.js';

/**
 * A workload entry at run time: it schedules its own source events (kind
 * `eventKind`, a = entry index, b = client or -1) and describes the message
 * about to be created. Fields set to -1 leave the model to draw the value
 * from the entry's distributions.
 */
export interface Source {
  /** Messages created so far (the next message's sequence number). */
  seq: number;
  /** Size of the next message, bytes, or -1. */
  bytes: number;
  tokIn: number;
  tokOut: number;
  priority: number;
  /** Schedules the first arrivals. */
  init(index: number, q: EventQueue): void;
  /** Open workloads: schedules the arrival after the one at `nowMs`. */
  scheduleNext(index: number, nowMs: number, q: EventQueue): void;
  /** Closed workloads: `client` got its answer at `nowMs`; it thinks, then sends. */
  reschedule(index: number, client: number, nowMs: number, q: EventQueue): void;
}

/** Sends by an arrival process between `start` and `stop`. */
class OpenSource implements Source {
  seq = 0;
  bytes = -1;
  tokIn = -1;
  tokOut = -1;

  constructor(
    private readonly process: ArrivalProcess,
    private readonly startMs: number,
    private readonly stopMs: number,
    readonly priority: number,
    private readonly eventKind: number,
  ) {}

  init(index: number, q: EventQueue): void {
    this.scheduleNext(index, this.startMs, q);
  }

  scheduleNext(index: number, nowMs: number, q: EventQueue): void {
    const t = this.process.next(nowMs);
    if (t < this.stopMs) q.schedule(t, this.eventKind, index, -1);
  }

  reschedule(): void {}
}

/**
 * The closed (interactive) model: N clients, each with one message
 * outstanding; after its answer (or its loss) a client thinks for a drawn
 * time and sends again. Clients start after a first think time, so they do
 * not all send at `start`.
 */
class ClosedSource implements Source {
  seq = 0;
  bytes = -1;
  tokIn = -1;
  tokOut = -1;

  constructor(
    private readonly clients: number,
    private readonly think: Sampler,
    private readonly rng: Stream,
    private readonly startMs: number,
    private readonly stopMs: number,
    readonly priority: number,
    private readonly eventKind: number,
  ) {}

  init(index: number, q: EventQueue): void {
    for (let c = 0; c < this.clients; c++) this.reschedule(index, c, this.startMs, q);
  }

  scheduleNext(): void {}

  reschedule(index: number, client: number, nowMs: number, q: EventQueue): void {
    const t = nowMs + this.think.sample(this.rng);
    if (t < this.stopMs) q.schedule(t, this.eventKind, index, client);
  }
}

/** Builds the run-time source of workload entry `index`. */
export function createSource(
  spec: WorkloadSpec,
  index: number,
  stopMs: number,
  seed: number,
  eventKind: number,
): Source {
  const rng = new Stream(seed, Purpose.arrivals + index);
  const stop = Math.min(spec.stop, stopMs);
  switch (spec.pattern) {
    case 'poisson':
      return new OpenSource(new PoissonArrivals(spec.rate, rng), spec.start, stop, spec.priority, eventKind);
    case 'bursty':
      return new OpenSource(
        new MmppArrivals(spec.rate, spec.burstRate, spec.meanBurst, spec.meanGap, spec.start, rng),
        spec.start,
        stop,
        spec.priority,
        eventKind,
      );
    case 'diurnal': {
      const process =
        spec.table.length > 0
          ? new TableArrivals(spec.table, rng)
          : new SinusoidArrivals(spec.rate, spec.amplitude, spec.period, rng);
      return new OpenSource(process, spec.start, stop, spec.priority, eventKind);
    }
    case 'closed':
      return new ClosedSource(spec.clients, new Sampler(spec.think), rng, spec.start, stop, spec.priority, eventKind);
    case 'trace':
      throw new Error('trace workloads are not supported yet');
  }
}
