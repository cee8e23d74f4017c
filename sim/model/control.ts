/**
 * How far a run may go, and how it reports progress. The model checks the
 * limits between slices of events (never per event), so a run that outgrows
 * what was estimated stops with a {@link RunLimitExceeded} instead of taking
 * the machine's memory or running for ever.
 */

export interface RunLimits {
  /** Events a run may process (a run of the library takes at most ~10⁷). */
  maxEvents: number;
  /** Agents (replicas) in the mesh. */
  maxAgents: number;
  /** Messages in flight at once: each holds a job, its copies and their events (~250 B). */
  maxPending: number;
}

/**
 * The limits unless the user raises them (`--max-events`, `--max-agents`,
 * `--max-pending`): about four minutes of events at this machine's speed, a
 * million agents, and a few GB of messages in flight at most.
 */
export const DEFAULT_LIMITS: Readonly<RunLimits> = { maxEvents: 1e9, maxAgents: 1e6, maxPending: 4e6 };

export interface RunProgress {
  /** Simulated time reached, ms. */
  simMs: number;
  /** Simulated time at which the run ends at the latest (duration + drain), ms. */
  endMs: number;
  events: number;
}

export interface RunControl {
  limits?: Partial<RunLimits>;
  /** Called between slices of events (every {@link PROGRESS_EVERY} events). */
  onProgress?: (p: RunProgress) => void;
  /**
   * False when nobody reads the run's timeline (`counters.timeline`): the
   * worker time of each service is then not split over the timeline's
   * buckets (two divisions and a loop per service, on the hot path); every
   * other figure is the same. Runs that autoscale book it anyway (the
   * autoscaler reads it). Default true.
   */
  timeline?: boolean;
}

/** Events between two checks of the limits (and progress reports). */
export const PROGRESS_EVERY = 1 << 18;

/** A run stopped at a limit: the caller names the field that drove it there. */
export class RunLimitExceeded extends Error {
  override readonly name = 'RunLimitExceeded';
  constructor(
    readonly what: 'events' | 'pending',
    readonly count: number,
    readonly limit: number,
    readonly simMs: number,
  ) {
    super(`the run passed ${limit} ${what === 'events' ? 'events' : 'messages in flight'} at ${simMs} ms of simulated time`);
  }
}
