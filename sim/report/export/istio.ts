import type { MeshConfig } from '../../scenario/types.js';
import { clampNumber, exportDuration } from './durations.js';
import { dnsLabel } from './names.js';

const INT32_MAX = 2_147_483_647;
import type { ExportResult, ExportTarget } from './types.js';

/**
 * A mesh configuration as Istio resources (networking.istio.io/v1): a
 * DestinationRule (load balancing, connection pool limits, outlier detection)
 * and a VirtualService (timeout and retries) for the service.
 */
export function toIstio(c: MeshConfig, t: ExportTarget): ExportResult {
  dnsLabel(t.service, 'service');
  dnsLabel(t.namespace, 'namespace');
  const notes: string[] = [];
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
  // int32 fields in Istio's API.
  if (c.buffer?.capacity !== undefined) http.http1MaxPendingRequests = clampNumber(c.buffer.capacity, 0, INT32_MAX, 'buffer.capacity', notes);
  if (typeof c.concurrency?.limit === 'number') http.http2MaxRequests = clampNumber(c.concurrency.limit, 0, INT32_MAX, 'concurrency.limit', notes);
  if (Object.keys(http).length > 0) trafficPolicy.connectionPool = { http };

  const outlier: Record<string, unknown> = {};
  if (c.outlier?.consecutiveErrors !== undefined) outlier.consecutive5xxErrors = c.outlier.consecutiveErrors;
  if (c.outlier?.ejectFor !== undefined) outlier.baseEjectionTime = exportDuration(c.outlier.ejectFor, 'outlier.ejectFor', notes);
  if (c.outlier?.maxEjected !== undefined) outlier.maxEjectionPercent = Math.round(c.outlier.maxEjected * 100);
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
  } else if (c.timeout?.perTry !== undefined && c.timeout.overall === undefined) {
    route.timeout = exportDuration(c.timeout.perTry, 'timeout.perTry', notes);
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

function omitDestination(route: Record<string, unknown>): Record<string, unknown> {
  const { destination: _d, ...rest } = route;
  return rest;
}
