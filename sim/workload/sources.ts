import type { EventQueue } from '../engine/event-queue.js';
import { Purpose, Stream } from '../engine/rng.js';
import { Sampler } from '../engine/distributions.js';
import type { TraceWorkload, WorkloadSpec } from '../scenario/types.js';
import {
  MmppArrivals,
  PoissonArrivals,
  SinusoidArrivals,
  TableArrivals,
  type ArrivalProcess,
} from './arrivals.js';
import { newTraceRow, openTrace, type TraceCursor, type TraceRow } from './traces/index.js';

/** What a source needs to know of the mesh: its roles, in declaration order. */
export interface SourceContext {
  scenario: { duration: number };
  roles: ReadonlyArray<{ name: string; first: number; count: number }>;
  /** The workload's priority classes (scenario/classes.ts), which trace rows may name. */
  classes: readonly string[];
}

/**
 * A workload entry at run time. It schedules its own source events (kind
 * `eventKind`, a = entry index, b = client or -1) and, when one fires,
 * `advance` describes the message to create in its fields and schedules the
 * next. Fields at -1 leave the model to draw the value from the entry.
 */
export interface Source {
  /** Messages created so far (the next message's sequence number). */
  seq: number;
  /** Size of the message, bytes, or -1. */
  bytes: number;
  tokIn: number;
  tokOut: number;
  priority: number;
  /** Priority class index (the model's), or -1 for the entry's. */
  cls: number;
  /** Origin: -1 external, an agent, or -2 for a random replica of `originRole`. */
  origin: number;
  originRole: number;
  /** First stage: its role (-1 = the entry's `to`) and a fixed agent (-1 = balance). */
  dstRole: number;
  dstAgent: number;
  /** 1 request–reply, 0 one-way, -1 as the entry says. */
  reply: number;
  /** Schedules the first arrivals. */
  init(index: number, q: EventQueue): void;
  /**
   * The source event of `client` (-1 for open sources) fired now (`q.time`):
   * fill the fields for the message to create and schedule the next arrival.
   * Returns false when there is nothing to create. Times reach the sources
   * through the queue, never as arguments: a double passed to a call V8
   * does not inline is boxed in a new heap number.
   */
  advance(index: number, client: number, q: EventQueue): boolean;
  /** Closed workloads: `client` got its answer now (`q.time`); it thinks, then sends. */
  reschedule(index: number, client: number, q: EventQueue): void;
  close(): void;
}

/** Fields shared by the synthetic sources: everything comes from the entry. */
abstract class EntrySource {
  seq = 0;
  bytes = -1;
  tokIn = -1;
  tokOut = -1;
  readonly priority: number;
  readonly cls = -1;
  readonly origin: number;
  readonly originRole: number;
  readonly dstRole = -1;
  readonly dstAgent = -1;
  readonly reply = -1;

  constructor(spec: WorkloadSpec, ctx: SourceContext) {
    this.priority = spec.priority;
    this.originRole = spec.from === 'external' ? -1 : ctx.roles.findIndex((r) => r.name === spec.from);
    this.origin = this.originRole < 0 ? -1 : -2;
  }

  close(): void {}
}

/** Sends by an arrival process between `start` and `stop`. */
class OpenSource extends EntrySource implements Source {
  constructor(
    spec: WorkloadSpec,
    ctx: SourceContext,
    private readonly process: ArrivalProcess,
    private readonly startMs: number,
    private readonly stopMs: number,
    private readonly eventKind: number,
  ) {
    super(spec, ctx);
  }

  init(index: number, q: EventQueue): void {
    q.when[0] = this.startMs;
    this.scheduleNext(index, q);
  }

  advance(index: number, _client: number, q: EventQueue): boolean {
    q.when[0] = q.time;
    this.scheduleNext(index, q);
    return true;
  }

  reschedule(): void {}

  /** Schedules the first arrival after the time in `q.when[0]`, in place there. */
  private scheduleNext(index: number, q: EventQueue): void {
    const clock = q.when;
    this.process.next(clock);
    if (clock[0]! < this.stopMs) q.scheduleWhen(this.eventKind, index, -1);
  }
}

/**
 * The closed (interactive) model: N clients, each with one message
 * outstanding; after its answer (or its loss) a client thinks for a drawn
 * time and sends again. Clients start after a first think time, so they do
 * not all send at `start`.
 */
class ClosedSource extends EntrySource implements Source {
  constructor(
    spec: WorkloadSpec,
    ctx: SourceContext,
    private readonly clients: number,
    private readonly think: Sampler,
    private readonly rng: Stream,
    private readonly startMs: number,
    private readonly stopMs: number,
    private readonly eventKind: number,
  ) {
    super(spec, ctx);
  }

  init(index: number, q: EventQueue): void {
    for (let c = 0; c < this.clients; c++) {
      q.when[0] = this.startMs;
      this.thinkThenSend(index, c, q);
    }
  }

  advance(): boolean {
    return true;
  }

  reschedule(index: number, client: number, q: EventQueue): void {
    q.when[0] = q.time;
    this.thinkThenSend(index, client, q);
  }

  /** Schedules `client`'s next message a think time after the time in `q.when[0]`. */
  private thinkThenSend(index: number, client: number, q: EventQueue): void {
    this.think.draw(this.rng);
    const clock = q.when;
    clock[0] = clock[0]! + this.think.value;
    if (clock[0]! < this.stopMs) q.scheduleWhen(this.eventKind, index, client);
  }
}

/**
 * Replays a recorded trace: rows are pulled from a streamed cursor one at a
 * time (a 10-million-row trace is never in memory), each row one message at
 * `start + time`, from and to the roles or agents it names.
 */
class TraceSource implements Source {
  seq = 0;
  bytes = -1;
  tokIn = -1;
  tokOut = -1;
  priority = 0;
  cls = -1;
  origin = -1;
  originRole = -1;
  dstRole = -1;
  dstAgent = -1;
  reply = -1;
  private readonly cursor: TraceCursor;
  /** The entry's `classes`, by position, as the model's class indices. */
  private readonly classIndex: Int32Array;
  /** The row of the pending source event, and the one after it (read ahead). */
  private row: TraceRow = newTraceRow();
  private next: TraceRow = newTraceRow();
  private hasNext = false;
  private readonly roleIndex: Map<string, number>;

  constructor(
    private readonly spec: TraceWorkload,
    private readonly ctx: SourceContext,
    private readonly stopMs: number,
    private readonly eventKind: number,
  ) {
    this.cursor = openTrace(
      spec,
      ctx.roles.map((r) => r.name),
      ctx.roles.map((r) => r.count),
    );
    this.roleIndex = new Map(ctx.roles.map((r, i) => [r.name, i]));
    this.classIndex = Int32Array.from(spec.classes, (c) => ctx.classes.indexOf(c));
  }

  init(index: number, q: EventQueue): void {
    this.hasNext = this.cursor.next(this.next);
    this.scheduleNext(index, q);
  }

  advance(index: number, _client: number, q: EventQueue): boolean {
    // The event fired for `next`; it becomes the current row.
    const t = this.row;
    this.row = this.next;
    this.next = t;
    this.describe(this.row);
    this.hasNext = this.cursor.next(this.next);
    this.scheduleNext(index, q);
    return true;
  }

  reschedule(): void {}

  close(): void {
    this.cursor.close();
  }

  private scheduleNext(index: number, q: EventQueue): void {
    if (!this.hasNext) return;
    const clock = q.when;
    clock[0] = this.spec.start + this.next.timeMs;
    if (clock[0]! < this.stopMs) q.scheduleWhen(this.eventKind, index, -1);
    else this.hasNext = false;
  }

  /** Resolves a row's names (checked by the cursor) into the message's fields. */
  private describe(row: TraceRow): void {
    this.bytes = row.bytes;
    this.tokIn = row.tokensIn;
    this.tokOut = row.tokensOut;
    this.priority = row.priority >= 0 ? row.priority : this.spec.priority;
    this.cls = row.cls >= 0 ? this.classIndex[row.cls]! : -1;
    this.reply = row.kind === 'request' ? 1 : row.kind === 'oneway' ? 0 : -1;
    if (row.src === 'external') {
      this.origin = -1;
    } else {
      const [role, agent] = this.resolve(row.src);
      this.originRole = role;
      this.origin = agent >= 0 ? agent : -2;
    }
    if (row.dst === '') {
      this.dstRole = -1;
      this.dstAgent = -1;
    } else {
      const [role, agent] = this.resolve(row.dst);
      this.dstRole = role;
      this.dstAgent = agent;
    }
  }

  /** 'role' → [role, -1]; 'role#i' → [role, its agent]. */
  private resolve(name: string): [number, number] {
    const hash = name.indexOf('#');
    if (hash < 0) return [this.roleIndex.get(name)!, -1];
    const role = this.roleIndex.get(name.slice(0, hash))!;
    return [role, this.ctx.roles[role]!.first + Number(name.slice(hash + 1))];
  }
}

/** Builds the run-time source of workload entry `index`. */
export function createSource(
  spec: WorkloadSpec,
  index: number,
  ctx: SourceContext,
  seed: number,
  eventKind: number,
): Source {
  const rng = new Stream(seed, Purpose.arrivals + index);
  const stop = Math.min(spec.stop, ctx.scenario.duration);
  switch (spec.pattern) {
    case 'poisson':
      return new OpenSource(spec, ctx, new PoissonArrivals(spec.rate, rng), spec.start, stop, eventKind);
    case 'bursty':
      return new OpenSource(
        spec,
        ctx,
        new MmppArrivals(spec.rate, spec.burstRate, spec.meanBurst, spec.meanGap, spec.start, rng),
        spec.start,
        stop,
        eventKind,
      );
    case 'diurnal': {
      const process =
        spec.table.length > 0
          ? new TableArrivals(spec.table, rng)
          : new SinusoidArrivals(spec.rate, spec.amplitude, spec.period, rng);
      return new OpenSource(spec, ctx, process, spec.start, stop, eventKind);
    }
    case 'closed':
      return new ClosedSource(spec, ctx, spec.clients, new Sampler(spec.think), rng, spec.start, stop, eventKind);
    case 'trace':
      return new TraceSource(spec, ctx, stop, eventKind);
  }
}
