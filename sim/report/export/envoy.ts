import { deploymentNotes } from './deployment.js';
import type { MeshConfig } from '../../scenario/types.js';
import { clampNumber, exportDuration } from './durations.js';
import { effectiveConfig } from './effective.js';
import { dnsLabel } from './names.js';

const UINT32_MAX = 4_294_967_295;
import type { ExportResult, ExportTarget } from './types.js';

/**
 * A mesh configuration as Envoy v3 configuration: the cluster (load
 * balancing, circuit-breaker thresholds, retry budget, outlier detection) and
 * the route (timeouts, retry policy, hedging), plus the HTTP filters for
 * adaptive concurrency and compression. Envoy's own field names and units
 * (envoy.config.cluster.v3.Cluster, envoy.config.route.v3.RouteAction).
 */
export function toEnvoy(given: MeshConfig, t: ExportTarget): ExportResult {
  dnsLabel(t.service, 'service');
  const notes: string[] = [];
  const c = effectiveConfig(given, notes);
  const cluster: Record<string, unknown> = {
    name: t.service,
    type: 'STRICT_DNS',
    connect_timeout: '1s',
    lb_policy: 'ROUND_ROBIN',
  };
  const route: Record<string, unknown> = { cluster: t.service };
  const filters: Array<Record<string, unknown>> = [];

  switch (c.routing?.balancer) {
    case undefined:
    case 'round-robin':
      break;
    case 'random':
      cluster.lb_policy = 'RANDOM';
      break;
    case 'least-request':
      cluster.lb_policy = 'LEAST_REQUEST';
      // Envoy samples choice_count hosts; a large count approaches a full scan.
      cluster.least_request_lb_config = { choice_count: 10 };
      notes.push('least-request: Envoy samples hosts instead of scanning all; choice_count 10 approximates it.');
      break;
    case 'p2c':
      cluster.lb_policy = 'LEAST_REQUEST';
      cluster.least_request_lb_config = { choice_count: 2 };
      break;
    case 'peak-ewma':
      cluster.lb_policy = 'LEAST_REQUEST';
      cluster.least_request_lb_config = { choice_count: 2, active_request_bias: { default_value: 1, runtime_key: 'upstream.lb.active_request_bias' } };
      notes.push('peak-ewma: Envoy has no latency-weighted balancer; exported as P2C on outstanding requests (the closest it offers).');
      break;
    case 'consistent-hash':
      cluster.lb_policy = 'RING_HASH';
      cluster.ring_hash_lb_config = { minimum_ring_size: 1024 };
      route.hash_policy = [{ header: { header_name: 'x-message-key' } }];
      notes.push('consistent-hash: Envoy has no bounded-load option on RING_HASH; keys hash on the x-message-key header.');
      break;
  }

  const thresholds: Record<string, unknown> = { priority: 'DEFAULT' };
  if (c.buffer?.capacity !== undefined) thresholds.max_pending_requests = clampNumber(c.buffer.capacity, 0, UINT32_MAX, 'buffer.capacity', notes);
  if (typeof c.concurrency?.limit === 'number') thresholds.max_requests = clampNumber(c.concurrency.limit, 0, UINT32_MAX, 'concurrency.limit', notes);
  if (c.retry?.budget !== undefined) {
    // envoy.type.v3.Percent takes 0 to 100.
    thresholds.retry_budget = { budget_percent: { value: clampNumber(c.retry.budget * 100, 0, 100, 'retry.budget (percent)', notes) }, min_retry_concurrency: 3 };
  }
  if (Object.keys(thresholds).length > 1) cluster.circuit_breakers = { thresholds: [thresholds] };

  const outlier: Record<string, unknown> = {};
  if (c.outlier) {
    if (c.outlier.consecutiveErrors !== undefined) outlier.consecutive_5xx = c.outlier.consecutiveErrors;
    if (c.outlier.ejectFor !== undefined) outlier.base_ejection_time = exportDuration(c.outlier.ejectFor, 'outlier.ejectFor', notes);
    if (c.outlier.maxEjected !== undefined) outlier.max_ejection_percent = Math.round(c.outlier.maxEjected * 100);
  }
  if (c.breaker) {
    // Envoy's circuit breakers limit concurrency; a failure-rate breaker is
    // its outlier detection by failure percentage.
    outlier.enforcing_failure_percentage = 100;
    if (c.breaker.failureRate !== undefined) outlier.failure_percentage_threshold = Math.round(c.breaker.failureRate * 100);
    if (c.breaker.minRequests !== undefined) outlier.failure_percentage_request_volume = c.breaker.minRequests;
    if (c.breaker.window !== undefined) outlier.interval = exportDuration(c.breaker.window, 'breaker.window', notes);
    if (c.breaker.openFor !== undefined) outlier.base_ejection_time ??= exportDuration(c.breaker.openFor, 'breaker.openFor', notes);
    notes.push('breaker: exported as failure-percentage outlier detection (Envoy ejects the failing host; half-open probes have no equivalent).');
  }
  if (Object.keys(outlier).length > 0) cluster.outlier_detection = outlier;

  if (c.timeout?.overall !== undefined) route.timeout = exportDuration(c.timeout.overall, 'timeout.overall', notes);
  const hedging = c.hedge?.after !== undefined;
  if ((c.retry?.maxAttempts !== undefined && c.retry.maxAttempts > 1) || hedging) {
    const policy: Record<string, unknown> = {
      retry_on: '5xx,reset,connect-failure,retriable-4xx',
      // A hedge is one more request in Envoy's retry budget of the route.
      num_retries: Math.max(1, (c.retry?.maxAttempts ?? 1) - 1),
    };
    // Envoy hedges when a per-try timeout fires (keeping the first request): the hedge delay is that timeout.
    if (hedging) {
      policy.per_try_timeout = exportDuration(c.hedge!.after!, 'hedge.after', notes);
      notes.push(
        `hedge.after ${c.hedge!.after} ms: written as the per-try timeout with hedge_on_per_try_timeout (Envoy hedges when a try's timeout fires, keeping the first request)` +
          (c.timeout?.perTry !== undefined ? `; timeout.perTry ${c.timeout.perTry} ms has no field of its own then — a try is given up by the route timeout only` : '') +
          ((c.retry?.maxAttempts ?? 1) <= 1 ? '; num_retries 1 is the one hedged request (nothing retries)' : '') +
          '.',
      );
    } else if (c.timeout?.perTry !== undefined) policy.per_try_timeout = exportDuration(c.timeout.perTry, 'timeout.perTry', notes);
    if (c.retry !== undefined) {
      policy.retry_back_off = {
        base_interval: exportDuration(c.retry.base ?? 25, 'retry.base', notes),
        max_interval: exportDuration(c.retry.cap ?? (c.retry.base ?? 25) * 10, 'retry.cap', notes),
      };
      if (c.retry.jitter !== undefined && c.retry.jitter !== 'full') {
        notes.push(`retry.jitter ${c.retry.jitter}: Envoy always uses full jitter.`);
      }
    }
    route.retry_policy = policy;
    if (hedging) route.hedge_policy = { hedge_on_per_try_timeout: true };
  } else if (c.timeout?.perTry !== undefined && c.timeout.overall === undefined) {
    route.timeout = exportDuration(c.timeout.perTry, 'timeout.perTry', notes);
  }
  if (route.timeout === undefined) {
    // Without one Envoy cuts every request at 15 s; the model sets no deadline. `0s` (here, on purpose) turns it off.
    route.timeout = '0s';
    notes.push('timeout.overall not set: the route timeout is 0s, which turns off Envoy’s default of 15 s (the model sets no deadline).');
  }

  if (c.concurrency?.limit === 'aimd' || c.concurrency?.limit === 'gradient') {
    filters.push({
      name: 'envoy.filters.http.adaptive_concurrency',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.filters.http.adaptive_concurrency.v3.AdaptiveConcurrency',
        gradient_controller_config: {
          sample_aggregate_percentile: { value: 50 },
          concurrency_limit_params: { concurrency_update_interval: '0.1s' },
          min_rtt_calc_params: { interval: '60s' },
        },
      },
    });
    if (c.concurrency.limit === 'aimd') notes.push('concurrency.limit aimd: Envoy offers only the gradient controller; exported as that.');
  }
  if (c.compression?.codec && c.compression.codec !== 'none') {
    const library =
      c.compression.codec === 'gzip'
        ? { name: 'gzip', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.compression.gzip.compressor.v3.Gzip' } }
        : { name: 'brotli', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.compression.brotli.compressor.v3.Brotli', quality: 5 } };
    filters.push({
      name: 'envoy.filters.http.compressor',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.filters.http.compressor.v3.Compressor',
        // A uint32 in Envoy.
        response_direction_config: { common_config: { min_content_length: clampNumber(c.compression.minBytes ?? 1024, 0, UINT32_MAX, 'compression.minBytes', notes) } },
        compressor_library: library,
      },
    });
  }
  for (const [knob, present] of [
    ['batching', c.batching !== undefined],
    ['delivery', c.delivery !== undefined && c.delivery !== 'at-most-once'],
    ['routing.redundancy', (c.routing?.redundancy ?? 1) > 1],
    ['shedding', c.shedding !== undefined],
    ['routing.path', c.routing?.path !== undefined && c.routing.path !== 'shortest'],
    ['buffer.policy', c.buffer?.policy !== undefined && c.buffer.policy !== 'drop-tail'],
  ] as const) {
    if (present) notes.push(`${knob}: no Envoy equivalent; apply it in the application or the transport.`);
  }
  notes.push(...deploymentNotes(c));
  const documents: Array<Record<string, unknown>> = [{ clusters: [cluster] }, { route }];
  if (filters.length > 0) documents.push({ http_filters: filters });
  return { documents, notes };
}
