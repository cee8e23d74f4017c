import type {
  BalancerKind,
  BufferPolicy,
  CodecKind,
  DeliveryKind,
  JitterKind,
  MeshConfig,
  PathKind,
  RoleResources,
  TopologyConfig,
} from '../scenario/types.js';
import { resolveAutoscale, type AutoscaleSettings } from '../policies/autoscale/index.js';
import type { BreakerSettings } from '../policies/breaker.js';
import type { OutlierSettings } from '../policies/outlier.js';

/**
 * A configuration resolved to plain numbers for the hot path. An absent block
 * leaves its mechanism off (SPEC §5); a block that is present but partial takes
 * the defaults below, chosen from the libraries that popularised each
 * mechanism (Envoy, gRPC, Resilience4j) so that `{breaker: {}}` means "a
 * breaker as one would ship it".
 */
export interface Policies {
  balancer: BalancerKind;
  path: PathKind;
  redundancy: number;
  redundantPriority: number;
  bufferCapacity: number;
  bufferPolicy: BufferPolicy;
  /** Per-try timeout of end-to-end calls (a request waiting for its reply), ms. */
  perTryMs: number;
  /** Per-try timeout of acknowledged hops (a message waiting for its ack), ms. */
  ackTimeoutMs: number;
  overallMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  jitter: JitterKind;
  /** Retry budget ratio; Infinity = no budget. */
  retryBudget: number;
  hedgeAfterMs: number;
  breaker: BreakerSettings | null;
  outlier: OutlierSettings | null;
  batching: { maxSize: number; maxBytes: number; lingerMs: number } | null;
  codec: CodecKind;
  compressMinBytes: number;
  delivery: DeliveryKind;
  /** Fixed per-agent concurrency limit, or an adaptive kind; null = none. */
  concurrency: number | 'aimd' | 'gradient' | null;
  /** Shed lower priorities above this queue fill (fraction of capacity); Infinity = off. */
  shedAbove: number;
  /** Replicas and slots by role, as configured (the compiled layout applies them; kept here so they tell runs apart). */
  resources: Record<string, RoleResources>;
  /** Autoscalers by role name; empty when no role autoscales. */
  autoscale: Record<string, AutoscaleSettings>;
  /** The graph's settings as configured (the compiled model applies them; kept here so they tell runs apart). */
  topology: TopologyConfig;
  /** Weights of the priority classes agents share their slots by; null = no fair sharing (a class left out weighs 1). */
  classWeights: Record<string, number> | null;
}

/** Ack timeout when delivery needs acknowledgements and `timeout.perTry` is unset, ms. */
export const DEFAULT_ACK_TIMEOUT_MS = 1000;

export const DEFAULTS = {
  retry: { maxAttempts: 3, base: 25, cap: 1000, jitter: 'full' as JitterKind },
  breaker: { failureRate: 0.5, minRequests: 20, window: 10_000, openFor: 5_000, halfOpenProbes: 3 },
  outlier: { consecutiveErrors: 5, ejectFor: 30_000, maxEjected: 0.1 },
  batching: { maxSize: 32, maxBytes: 65_536, linger: 2 },
  compression: { minBytes: 1024 },
  shedding: { queueFraction: 0.8 },
} as const;

/** A retry policy's backoff cap, ms: as given, else the default — or the base, when that is above it (a 2 s base under the 1 s default cap would wait 1 s). */
export function retryCapMs(retry: { base?: number; cap?: number } | undefined): number {
  return retry?.cap ?? Math.max(DEFAULTS.retry.cap, retry?.base ?? 0);
}

export function resolvePolicies(c: MeshConfig): Policies {
  const delivery = c.delivery ?? 'at-most-once';
  const acked = delivery !== 'at-most-once';
  // At-least-once re-sends until acknowledged: it implies a retry policy and
  // a timeout even when the configuration names none.
  const retry = c.retry ?? (acked ? {} : undefined);
  return {
    balancer: c.routing?.balancer ?? 'round-robin',
    path: c.routing?.path ?? 'shortest',
    redundancy: c.routing?.redundancy ?? 1,
    redundantPriority: c.routing?.redundantPriority ?? 0,
    bufferCapacity: c.buffer?.capacity ?? Infinity,
    bufferPolicy: c.buffer?.policy ?? 'drop-tail',
    perTryMs: c.timeout?.perTry ?? Infinity,
    // An ack comes back as soon as the next agent accepts the message, so a
    // hop needs a timeout even when replies may legitimately take minutes.
    ackTimeoutMs: c.timeout?.perTry ?? DEFAULT_ACK_TIMEOUT_MS,
    overallMs: c.timeout?.overall ?? Infinity,
    maxAttempts: retry ? (retry.maxAttempts ?? DEFAULTS.retry.maxAttempts) : 1,
    backoffBaseMs: retry?.base ?? DEFAULTS.retry.base,
    backoffCapMs: retryCapMs(retry),
    jitter: retry?.jitter ?? DEFAULTS.retry.jitter,
    retryBudget: retry?.budget ?? Infinity,
    hedgeAfterMs: c.hedge?.after ?? Infinity,
    breaker: c.breaker
      ? {
          failureRate: c.breaker.failureRate ?? DEFAULTS.breaker.failureRate,
          minRequests: c.breaker.minRequests ?? DEFAULTS.breaker.minRequests,
          windowMs: c.breaker.window ?? DEFAULTS.breaker.window,
          openForMs: c.breaker.openFor ?? DEFAULTS.breaker.openFor,
          halfOpenProbes: c.breaker.halfOpenProbes ?? DEFAULTS.breaker.halfOpenProbes,
        }
      : null,
    outlier: c.outlier
      ? {
          consecutiveErrors: c.outlier.consecutiveErrors ?? DEFAULTS.outlier.consecutiveErrors,
          ejectForMs: c.outlier.ejectFor ?? DEFAULTS.outlier.ejectFor,
          maxEjected: c.outlier.maxEjected ?? DEFAULTS.outlier.maxEjected,
        }
      : null,
    batching: c.batching
      ? {
          maxSize: c.batching.maxSize ?? DEFAULTS.batching.maxSize,
          maxBytes: c.batching.maxBytes ?? DEFAULTS.batching.maxBytes,
          lingerMs: c.batching.linger ?? DEFAULTS.batching.linger,
        }
      : null,
    codec: c.compression?.codec ?? 'none',
    compressMinBytes: c.compression?.minBytes ?? DEFAULTS.compression.minBytes,
    delivery,
    concurrency: c.concurrency?.limit ?? null,
    shedAbove: c.shedding ? (c.shedding.queueFraction ?? DEFAULTS.shedding.queueFraction) : Infinity,
    resources: c.resources ?? {},
    autoscale: Object.fromEntries(Object.entries(c.autoscale ?? {}).map(([role, a]) => [role, resolveAutoscale(a)])),
    classWeights: c.priority?.weights ?? null,
    topology: c.topology ?? {},
  };
}
