import { growF64, growI32, growU8 } from '../engine/typed-arrays.js';
import { mix32 } from '../engine/rng.js';

/**
 * The spans of a run (`simulate --spans`): one span per service a sampled
 * message received — from the start of its service to its end at the agent —
 * hanging from the span of the service that sent it on: a hand-off's from the
 * stage before (the child starts after its parent ends), a parallel branch's
 * head from the span before the group, the stage after a group from the
 * branch that finished last. The sender is carried by each request copy, and
 * by each call for its later tries and hedges, so a try given up by timeout
 * whose later stages finish after the retry still hangs from its own try's
 * spans, never from the retry's. A request from the client is a root (a
 * retry's or a hedge's too), but a scatter–gather's parts after the first,
 * which chain to the message's latest span when there is one. Recorded only when a run
 * asks for it; an ordinary run pays a null check at a few places. Messages
 * are sampled whole, by a hash of (seed, workload entry, sequence number)
 * against the rate, so the same run always keeps the same messages.
 *
 * Arrays grow by doubling; nothing is allocated per span beyond that.
 */
/** A request the client sent: its first try (a root). */
const CLIENT = -1;
/** A request the client sent again: a retry or a hedge of its call (a root). */
const CLIENT_AGAIN = -2;
/** A later part of a scatter–gather the client sent: chained to the message's latest span. */
const CLIENT_PART = -3;

export class SpanRecorder {
  /** Spans recorded. */
  count = 0;
  /** Per span: the message's workload entry and sequence number (its trace), the agent, the stage, the times (ms), the parent span (-1: none), and 1 when the message was lost after it. */
  entry = new Int32Array(1024);
  seq = new Float64Array(1024);
  agent = new Int32Array(1024);
  stage = new Int32Array(1024);
  startMs = new Float64Array(1024);
  endMs = new Float64Array(1024);
  parent = new Int32Array(1024);
  error = new Uint8Array(1024);
  /**
   * Per span: for a root span, the job's roots recorded before it — a try its
   * client made again, exported as `http.request.resend_count` so that an
   * import counts the request once (SPEC §11.2); 0 otherwise.
   */
  resend = new Int32Array(1024);
  /** Per job slot: its root spans recorded so far. */
  private roots = new Int32Array(1024);
  /** Per job slot: its last span (-1: none yet), or -2 when the job is not sampled. */
  private last = new Int32Array(1024);
  /** Per copy slot: the span its request hangs from, or CLIENT, CLIENT_AGAIN. */
  private copyParent = new Int32Array(1024);
  /** Per call slot: the span its tries hang from, or CLIENT (the client's call). */
  private callParent = new Int32Array(1024);
  /** The span whose service is being finished, and its job: what the copies and calls it sends on hang from (-1: none). */
  private handingSpan = -1;
  private handingJob = -1;
  private readonly threshold: number;
  /** Per agent: its role and its replica index; filled by the runner from the compiled model. */
  agentRole: string[] = [];
  agentReplica: number[] = [];

  constructor(
    /** Fraction of messages kept, in (0, 1]. */
    readonly sampleRate: number,
    private readonly seed: number,
    /** Only messages created at or after the warm-up are recorded (what the run measures). */
    readonly measuredOnly = true,
  ) {
    this.threshold = Math.floor(sampleRate * 4294967296);
  }

  startJob(j: number, entry: number, seq: number, measured: boolean): void {
    if (j >= this.last.length) {
      const cap = Math.max(j + 1, this.last.length * 2);
      this.last = growI32(this.last, cap);
      this.roots = growI32(this.roots, cap);
    }
    const h = mix32(mix32(this.seed ^ Math.imul(entry + 1, 0x9e3779b9)) ^ (seq | 0)) >>> 0;
    this.last[j] = (measured || !this.measuredOnly) && h < this.threshold ? -1 : -2;
    this.roots[j] = 0;
  }

  /** Call `c` of job `j` was made: its tries hang from the service being finished when it is `j`'s, else they are the client's. */
  call(j: number, c: number): void {
    if (c >= this.callParent.length) this.callParent = growI32(this.callParent, Math.max(c + 1, this.callParent.length * 2));
    this.callParent[c] = this.handingJob === j ? this.handingSpan : CLIENT;
  }

  /**
   * Request copy `m` of job `j` was made, a try of call `c` (-1: a hand-off
   * without a call): sent on by the service being finished when it is `j`'s,
   * else a try of `c`, hanging where `c`'s tries hang — from the client when
   * `c` is the client's: `again` for a retry or a hedge, `part` for a
   * scatter–gather's part after the first.
   */
  copy(j: number, m: number, c: number, again: boolean, part: boolean): void {
    if (m >= this.copyParent.length) this.copyParent = growI32(this.copyParent, Math.max(m + 1, this.copyParent.length * 2));
    const from = this.handingJob === j ? this.handingSpan : c >= 0 ? this.callParent[c]! : CLIENT;
    this.copyParent[m] = from !== CLIENT ? from : again ? CLIENT_AGAIN : part ? CLIENT_PART : CLIENT;
  }

  /**
   * The service of copy `m` of job `j` at `stage` ended: its span, hanging
   * from the span that sent `m`. Until `handed`, what is sent on hangs from it.
   */
  service(j: number, m: number, entry: number, seq: number, agent: number, stage: number, startMs: number, endMs: number, error: boolean): void {
    const latest = this.last[j]!;
    if (latest === -2) return;
    const from = this.copyParent[m]!;
    // What the client sent is a root, but a scatter–gather's later parts,
    // which chain to the message's latest span (a root when there is none yet).
    const parent = from >= 0 ? from : from === CLIENT_PART ? latest : -1;
    const i = this.count++;
    if (i >= this.entry.length) this.grow();
    this.entry[i] = entry;
    this.seq[i] = seq;
    this.agent[i] = agent;
    this.stage[i] = stage;
    this.startMs[i] = startMs;
    this.endMs[i] = endMs;
    this.parent[i] = parent;
    this.error[i] = error ? 1 : 0;
    this.resend[i] = parent < 0 ? this.roots[j]!++ : 0;
    this.last[j] = i;
    this.handingSpan = i;
    this.handingJob = j;
  }

  /** The service `service` told of is finished: what is made from now on is sent by no service. */
  handed(): void {
    this.handingSpan = -1;
    this.handingJob = -1;
  }

  /** The job was lost: its last span (if any) is marked in error (an error ends a message on its own span, already marked). */
  lost(j: number): void {
    const s = this.last[j]!;
    if (s >= 0) this.error[s] = 1;
  }

  private grow(): void {
    const cap = this.entry.length * 2;
    this.entry = growI32(this.entry, cap);
    this.seq = growF64(this.seq, cap);
    this.agent = growI32(this.agent, cap);
    this.stage = growI32(this.stage, cap);
    this.startMs = growF64(this.startMs, cap);
    this.endMs = growF64(this.endMs, cap);
    this.parent = growI32(this.parent, cap);
    this.error = growU8(this.error, cap);
    this.resend = growI32(this.resend, cap);
  }
}
