import { deploymentNotes } from './deployment.js';
import type { MeshConfig } from '../../scenario/types.js';
import { clampNumber, exportDuration } from './durations.js';
import { effectiveConfig } from './effective.js';
import { dnsLabel } from './names.js';

const INT32_MAX = 2_147_483_647;
import type { ExportResult, ExportTarget } from './types.js';

/**
 * A mesh configuration as Istio resources (networking.istio.io/v1): a
 * DestinationRule (load balancing, connection pool limits, outlier detection)
 * and a VirtualService (timeout and retries) for the service.
 */
export function toIstio(given: MeshConfig, t: ExportTarget): ExportResult {
  dnsLabel(t.service, 'service');
  dnsLabel(t.namespace, 'namespace');
  const notes: string[] = [];
  const c = effectiveConfig(given, notes);
  const host = `${t.service}.${t.namespace}.svc.cluster.local`;
  const trafficPolicy: Record<string, unknown> = {};

  switch (c.routing?.balancer) {
    case undefined:
    case 'round-robin':
      trafficPolicy.loadBalancer = { simple: 'ROUND_ROBIN' };
      break;
    case 'random':
      trafficPolicy.loadBalancer = { simple: 'RANDOM' };
      break;
    case 'least-request':
    case 'p2c':
      trafficPolicy.loadBalancer = { simple: 'LEAST_REQUEST' };
      break;
    case 'peak-ewma':
      trafficPolicy.loadBalancer = { simple: 'LEAST_REQUEST' };
      notes.push('peak-ewma: Istio has no latency-weighted balancer; exported as LEAST_REQUEST.');
      break;
    case 'consistent-hash':
      trafficPolicy.loadBalancer = { consistentHash: { httpHeaderName: 'x-message-key' } };
      break;
  }

  const http: Record<string, unknown> = {};
  // int32 fields in Istio's API, which reads 0 as unset (its default, no limit): 1 is the least it takes.
  if (c.buffer?.capacity !== undefined) http.http1MaxPendingRequests = positive(c.buffer.capacity, 'buffer.capacity', notes);
  if (typeof c.concurrency?.limit === 'number') http.http2MaxRequests = positive(c.concurrency.limit, 'concurrency.limit', notes);
  if (Object.keys(http).length > 0) trafficPolicy.connectionPool = { http };

  const outlier: Record<string, unknown> = {};
  if (c.outlier?.consecutiveErrors !== undefined) outlier.consecutive5xxErrors = c.outlier.consecutiveErrors;
  if (c.outlier?.ejectFor !== undefined) outlier.baseEjectionTime = exportDuration(c.outlier.ejectFor, 'outlier.ejectFor', notes);
  if (c.outlier?.maxEjected !== undefined) {
    const percent = Math.round(c.outlier.maxEjected * 100);
    // 0 is unset (10%) in Istio: no field can say "never eject".
    if (percent > 0) outlier.maxEjectionPercent = percent;
    else notes.push(`outlier.maxEjected ${c.outlier.maxEjected} ejects no replica; Istio reads a maxEjectionPercent of 0 as unset (10%), so it is left out: remove outlierDetection to match.`);
  }
  if (c.breaker) {
    outlier.consecutive5xxErrors ??= c.breaker.minRequests ?? 5;
    if (c.breaker.window !== undefined) outlier.interval = exportDuration(c.breaker.window, 'breaker.window', notes);
    if (c.breaker.openFor !== undefined) outlier.baseEjectionTime ??= exportDuration(c.breaker.openFor, 'breaker.openFor', notes);
    notes.push('breaker: Istio has no failure-rate breaker; exported as consecutive-error outlier detection.');
  }
  if (Object.keys(outlier).length > 0) trafficPolicy.outlierDetection = outlier;

  const route: Record<string, unknown> = { destination: { host } };
  if (c.timeout?.overall !== undefined) route.timeout = exportDuration(c.timeout.overall, 'timeout.overall', notes);
  if (c.retry?.maxAttempts !== undefined && c.retry.maxAttempts > 1) {
    route.retries = {
      attempts: c.retry.maxAttempts - 1,
      retryOn: '5xx,reset,connect-failure,retriable-4xx',
      ...(c.timeout?.perTry !== undefined ? { perTryTimeout: exportDuration(c.timeout.perTry, 'timeout.perTry', notes) } : {}),
    };
    if (c.retry.budget !== undefined) notes.push('retry.budget: set it on the Envoy cluster (Istio has no field for it).');
    if (c.retry.base !== undefined || c.retry.jitter !== undefined) notes.push('retry backoff: Istio uses Envoy’s default backoff (25 ms base, full jitter).');
  } else {
    // Istio retries twice by default: none configured is written as none.
    route.retries = { attempts: 0 };
    notes.push('retry: none configured; retries.attempts 0 turns off Istio’s default of two.');
    if (c.timeout?.perTry !== undefined && c.timeout.overall === undefined) route.timeout = exportDuration(c.timeout.perTry, 'timeout.perTry', notes);
  }
  for (const [knob, present] of [
    ['hedge', c.hedge !== undefined],
    ['batching', c.batching !== undefined],
    ['compression', c.compression?.codec !== undefined && c.compression.codec !== 'none'],
    ['delivery', c.delivery !== undefined && c.delivery !== 'at-most-once'],
    ['routing.redundancy', (c.routing?.redundancy ?? 1) > 1],
    ['shedding', c.shedding !== undefined],
    ['concurrency.limit (adaptive)', c.concurrency?.limit === 'aimd' || c.concurrency?.limit === 'gradient'],
    ['routing.path', c.routing?.path !== undefined && c.routing.path !== 'shortest'],
  ] as const) {
    if (present) notes.push(`${knob}: not expressible in Istio resources; use an EnvoyFilter or the application.`);
  }
  notes.push(...deploymentNotes(c));
  return {
    documents: [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: t.service, namespace: t.namespace },
        spec: { host, trafficPolicy },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: t.service, namespace: t.namespace },
        spec: { hosts: [host], http: [{ route: [{ destination: { host } }], ...omitDestination(route) }] },
      },
    ],
    notes,
  };
}

/** A count Istio reads with 0 as unset: at least 1, noted when raised. */
function positive(value: number, knob: string, notes: string[]): number {
  const v = clampNumber(value, 0, INT32_MAX, knob, notes);
  if (v >= 1) return v;
  notes.push(`${knob} ${value}: Istio reads 0 as unset (no limit); exported as 1, the least it takes.`);
  return 1;
}

function omitDestination(route: Record<string, unknown>): Record<string, unknown> {
  const { destination: _d, ...rest } = route;
  return rest;
}
