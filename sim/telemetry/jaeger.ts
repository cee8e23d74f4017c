/**
 * Jaeger JSON, the query API's and the UI's "download trace" shape:
 * `{data: [{traceID, spans: [...], processes: {p1: {serviceName, tags}}}]}`
 * (a bare trace object or a list of them is accepted too). A span has hex
 * `traceID`/`spanID`, `references` (`CHILD_OF` or `FOLLOWS_FROM` its parent),
 * `startTime` and `duration` in microseconds, `tags` as `{key, type, value}`
 * and a `processID` naming its process (service, and `hostname` / `ip`).
 */
import type { Diagnostics } from './diagnostics.js';
import { hexId, isObject, jsonDocuments, micros, shownValue } from './read-json.js';
import { RESEND_KEY, resendOf, SIZE_KEYS, withResend, type Span } from './span.js';

const INSTANCE_TAGS = ['hostname', 'ip', 'host.name', 'service.instance.id'];

export function readJaeger(file: string, diag: Diagnostics, add: (s: Span) => void): void {
  for (const { doc, line } of jsonDocuments(file, 'Jaeger', diag).docs) {
    const at = `${file}:${line}`;
    const traces = isObject(doc) && Array.isArray(doc.data) ? doc.data : Array.isArray(doc) ? doc : [doc];
    traces.forEach((tr: unknown, t: number) => {
      if (!isObject(tr) || !Array.isArray(tr.spans)) {
        return diag.add('malformed', at, `data[${t}]: expected a trace with spans (a list) and processes; got ${shownValue(tr)}`);
      }
      const processes = isObject(tr.processes) ? tr.processes : {};
      tr.spans.forEach((sp: unknown, i: number) => {
        const span = readSpan(sp, processes, `${at} data[${t}].spans[${i}]`);
        if (typeof span === 'string') diag.add('malformed', `${at} data[${t}].spans[${i}]`, span);
        else add(span);
      });
    });
  }
}

function readSpan(sp: unknown, processes: Record<string, unknown>, where: string): Span | string {
  if (!isObject(sp)) return `expected a span object; got ${shownValue(sp)}`;
  const traceId = hexId(sp.traceID);
  if (traceId === null) return `traceID: expected hex; got ${shownValue(sp.traceID)}`;
  const spanId = hexId(sp.spanID);
  if (spanId === null) return `spanID: expected hex; got ${shownValue(sp.spanID)}`;
  let parentId = '';
  if (Array.isArray(sp.references)) {
    const ref = sp.references.find((r: unknown) => isObject(r) && (r.refType === 'CHILD_OF' || r.refType === 'FOLLOWS_FROM'));
    if (isObject(ref)) parentId = hexId(ref.spanID) ?? '';
  }
  const start = micros(sp.startTime);
  if (start === null) return `startTime: expected epoch microseconds; got ${shownValue(sp.startTime)}`;
  const dur = micros(sp.duration);
  if (dur === null) return `duration: expected microseconds; got ${shownValue(sp.duration)}`;
  const proc = typeof sp.processID === 'string' ? processes[sp.processID] : isObject(sp.process) ? sp.process : undefined;
  if (!isObject(proc) || typeof proc.serviceName !== 'string' || proc.serviceName === '') {
    return `processID: expected a process with a serviceName; got ${shownValue(sp.processID)}`;
  }
  const ptags = tagMap(proc.tags);
  let instance = '';
  for (const k of INSTANCE_TAGS) instance ||= String(ptags.get(k) ?? '');
  const tags = tagMap(sp.tags);
  let bytes = -1;
  for (const k of SIZE_KEYS) {
    const n = Number(tags.get(k));
    if (tags.has(k) && Number.isFinite(n) && n >= 0) {
      bytes = n;
      break;
    }
  }
  const err = tags.get('error');
  const error = err === true || err === 'true' || tags.get('otel.status_code') === 'ERROR';
  const span: Span = { traceId, spanId, parentId, service: proc.serviceName, instance, startMs: start / 1000, endMs: (start + dur) / 1000, error, bytes, where };
  return withResend(span, resendOf(tags.get(RESEND_KEY)));
}

function tagMap(list: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  if (!Array.isArray(list)) return map;
  for (const t of list) if (isObject(t) && typeof t.key === 'string') map.set(t.key, t.value);
  return map;
}
