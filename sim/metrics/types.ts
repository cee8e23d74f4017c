/** The result of a run (SPEC §6): plain data, JSON-ready. */
import type { ClassMetrics } from './classes.js';
import type { RoleScaling } from './scaling.js';
import type { TimelineData } from './timeline.js';

export interface LostCounts {
  overflow: number;
  link: number;
  crash: number;
  timeout: number;
  shed: number;
  breaker: number;
  unfinished: number;
  /** Ended in an error at a role (`roles.<name>.errors`). */
  error: number;
}

export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface CostBreakdown {
  total: number;
  perDelivered: number;
  messages: number;
  bytes: number;
  cpu: number;
  agents: number;
  tokens: number;
}

export interface EngineStats {
  events: number;
  wallMs: number;
  eventsPerSec: number;
  peakRssMB: number;
}

export interface Metrics {
  scenario: string;
  seed: number;
  replications: number;
  config: unknown;
  messages: {
    /** Messages created by the workload after warm-up. */
    generated: number;
    /** Every message put on a link or handed to an agent (tries, copies, replies, acks). */
    sent: number;
    /** Wire sends; a batch counts once. */
    transmissions: number;
    /** Unique measured messages completed. */
    delivered: number;
    /** Completions beyond the first of a message. */
    duplicates: number;
    lost: LostCounts;
  };
  deliveryRatio: number;
  latencyMs: LatencySummary;
  /** Per priority class (present when the workload names classes). */
  classes?: Record<string, ClassMetrics>;
  throughputPerSec: number;
  cost: CostBreakdown;
  retries: number;
  hedges: number;
  breakerOpens: number;
  utilization: Record<string, number>;
  /** Per autoscaled role: replica time and how the count moved (present when some role autoscales). */
  scaling?: Record<string, RoleScaling>;
  engine: EngineStats;
  /** 95% confidence intervals over replications, by metric path. */
  ci95?: Record<string, [number, number]>;
  /** Counts per time bucket (extension of SPEC §6; present when asked for). */
  timeline?: TimelineData;
}
