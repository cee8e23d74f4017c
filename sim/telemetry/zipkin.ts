/**
 * Zipkin v2 JSON: a list of spans `{traceId, id, parentId, kind, timestamp,
 * duration, localEndpoint: {serviceName, ipv4, port}, tags, shared}`, times
 * in microseconds. With B3 propagation a client and a server span share one
 * id; the server half (`shared: true`) is the callee's span and is kept, the
 * client half is dropped.
 */
import type { Diagnostics } from './diagnostics.js';
import { hexId, isObject, jsonDocuments, micros, shownValue } from './read-json.js';
import { RESEND_KEY, resendOf, SIZE_KEYS, withResend, type Span } from './span.js';

export function readZipkin(file: string, diag: Diagnostics, add: (s: Span) => void): void {
  for (const { doc, line } of jsonDocuments(file, 'Zipkin v2', diag).docs) {
    const list = Array.isArray(doc) ? doc : [doc];
    const kept = new Map<string, { span: Span; shared: boolean }>();
    list.forEach((sp: unknown, i: number) => {
      const at = Array.isArray(doc) && line === 1 ? `${file}:#${i + 1}` : `${file}:${line}`;
      const span = readSpan(sp, at);
      if (typeof span === 'string') return diag.add('malformed', at, span);
      const shared = isObject(sp) && sp.shared === true;
      const key = `${span.traceId}/${span.spanId}`;
      const twin = kept.get(key);
      if (twin === undefined) kept.set(key, { span, shared });
      else if (shared !== twin.shared) {
        if (shared) kept.set(key, { span, shared });
      } else diag.add('duplicate', at, `span ${span.spanId}`);
    });
    for (const { span } of kept.values()) add(span);
  }
}

function readSpan(sp: unknown, where: string): Span | string {
  if (!isObject(sp)) return `expected a Zipkin v2 span object; got ${shownValue(sp)}`;
  const traceId = hexId(sp.traceId);
  if (traceId === null) return `traceId: expected hex; got ${shownValue(sp.traceId)}`;
  const spanId = hexId(sp.id);
  if (spanId === null) return `id: expected hex; got ${shownValue(sp.id)}`;
  const parentId = sp.parentId === undefined || sp.parentId === null || sp.parentId === '' ? '' : hexId(sp.parentId);
  if (parentId === null) return `parentId: expected hex or nothing; got ${shownValue(sp.parentId)}`;
  const ts = micros(sp.timestamp);
  if (ts === null) return `timestamp: expected epoch microseconds; got ${shownValue(sp.timestamp)}`;
  const dur = sp.duration === undefined ? 0 : micros(sp.duration);
  if (dur === null) return `duration: expected microseconds; got ${shownValue(sp.duration)}`;
  const ep = isObject(sp.localEndpoint) ? sp.localEndpoint : null;
  const service = ep !== null && typeof ep.serviceName === 'string' ? ep.serviceName : '';
  if (service === '') return 'localEndpoint.serviceName: expected the service name';
  const instance = ep === null ? '' : [ep.ipv4 ?? ep.ipv6, ep.port].filter((x) => x !== undefined).join(':');
  const tags = isObject(sp.tags) ? sp.tags : {};
  let bytes = -1;
  for (const k of SIZE_KEYS) {
    const n = Number(tags[k]);
    if (tags[k] !== undefined && Number.isFinite(n) && n >= 0) {
      bytes = n;
      break;
    }
  }
  const error = tags.error !== undefined;
  const span: Span = { traceId, spanId, parentId, service, instance, startMs: ts / 1000, endMs: (ts + dur) / 1000, error, bytes, where };
  return withResend(span, resendOf(tags[RESEND_KEY]));
}
