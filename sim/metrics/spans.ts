import { growF64, growI32, growU8 } from '../engine/typed-arrays.js';
import { mix32 } from '../engine/rng.js';

/**
 * The spans of a run (`simulate --spans`): one span per service a sampled
 * message received — from the start of its service to its end at the agent —
 * linked to the previous stage's span of the same message (a hand-off: the
 * child starts after its parent ends). In a parallel group each branch's
 * first span hangs from the span before the group, and the stage after the
 * group from the branch that finished last (the message's latest span). Recorded only when a run asks for it;
 * an ordinary run pays one null check at three places. Messages are sampled
 * whole, by a hash of (seed, workload entry, sequence number) against the
 * rate, so the same run always keeps the same messages.
 *
 * Arrays grow by doubling; nothing is allocated per span beyond that.
 */
/** A span's `parentStage` that names no stage: the message's latest span. */
export const LATEST_SPAN = -1;
/** A span's `parentStage` that names no stage: the message's latest span when its current parallel group forked. */
export const FORK_SPAN = -2;

/** Stages a message can have (SPEC §4: `to` and at most 30 more). */
const STAGES = 32;

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
  /** Per job slot and stage (STAGES a slot): the stage's latest span, for parents inside parallel branches. */
  private byStage = new Int32Array(1024 * STAGES);
  /** Per job slot: its latest span when its current parallel group forked (the branch heads' parent). */
  private forkSpan = new Int32Array(1024);
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
      this.forkSpan = growI32(this.forkSpan, cap);
      this.byStage = growI32(this.byStage, cap * STAGES);
    }
    const h = mix32(mix32(this.seed ^ Math.imul(entry + 1, 0x9e3779b9)) ^ (seq | 0)) >>> 0;
    this.last[j] = (measured || !this.measuredOnly) && h < this.threshold ? -1 : -2;
    this.roots[j] = 0;
  }

  /**
   * A service of job `j` at `stage` ended; `parentStage` is the stage whose
   * span is its parent, or LATEST_SPAN or FORK_SPAN.
   */
  service(j: number, entry: number, seq: number, agent: number, stage: number, parentStage: number, startMs: number, endMs: number, error: boolean): void {
    const latest = this.last[j]!;
    if (latest === -2) return;
    const parent = parentStage >= 0 && latest >= 0 ? this.byStage[j * STAGES + parentStage]! : parentStage === FORK_SPAN ? this.forkSpan[j]! : latest;
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
    this.byStage[j * STAGES + stage] = i;
  }

  /** Job `j` forks a parallel group: its branches' first spans hang from its latest span now. */
  forked(j: number): void {
    this.forkSpan[j] = this.last[j]!;
  }

  /** The job's origin tries again: the next span is a root (a new request from its client). */
  retried(j: number): void {
    if (this.last[j]! >= 0) this.last[j] = -1;
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
