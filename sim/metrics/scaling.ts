/**
 * What autoscaling did in a run (SPEC §6 `scaling`): replica time per role —
 * what the cost model charges — and how the count moved. Plain tallies
 * filled by the model; only roles that autoscale have them.
 */

/** One role's tallies. Replica time counts replicas starting, ready or draining ("running", charged). */
export interface RoleScalingTally {
  role: number;
  /** Replica-ms running inside [warmup, duration]. */
  runningMs: number;
  /** Replica-ms ready or draining (able to work) inside [warmup, duration]. */
  servingMs: number;
  /** Fewest and most replicas running at once. */
  low: number;
  peak: number;
  /** Evaluations that raised or lowered the count. */
  scaleUps: number;
  scaleDowns: number;
  /** Replica-ms serving in each timeline bucket (the per-bucket utilisation's denominator). */
  bucketServingMs: Float64Array;
  /** Of those, replica-ms of replicas down by a crash (the scaling chart shows the others). */
  bucketCrashedMs: Float64Array;
}

/** The scaling part of SPEC §6 metrics, by role name. */
export interface RoleScaling {
  /** Replica-hours charged: replicas starting, ready or draining, over the measured window. */
  replicaHours: number;
  /** Mean replicas running over the measured window. */
  meanReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  scaleUps: number;
  scaleDowns: number;
}

const MS_PER_HOUR = 3_600_000;

export function roleScaling(t: RoleScalingTally, windowMs: number): RoleScaling {
  return {
    replicaHours: t.runningMs / MS_PER_HOUR,
    meanReplicas: windowMs > 0 ? t.runningMs / windowMs : 0,
    minReplicas: t.low,
    maxReplicas: t.peak,
    scaleUps: t.scaleUps,
    scaleDowns: t.scaleDowns,
  };
}
