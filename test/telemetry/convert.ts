/**
 * Test converters: spans written as OTLP JSON, Zipkin v2, Jaeger JSON and the
 * Alibaba v2021 call-graph CSV, so that every format is tested on the same
 * traces.
 */
import type { Span } from '../../sim/telemetry/index.js';

const us = (ms: number): number => Math.round(ms * 1000);

/** One OTLP document, a resource per (service, instance); times in ns from the spans' ms (to the µs). */
export function toOtlp(spans: readonly Span[]): string {
  const byResource = new Map<string, Span[]>();
  for (const s of spans) {
    const k = `${s.service}|${s.instance}`;
    const list = byResource.get(k);
    if (list === undefined) byResource.set(k, [s]);
    else list.push(s);
  }
  const ns = (ms: number): string => (BigInt(us(ms)) * 1000n).toString();
  const attr = (key: string, v: string) => ({ key, value: { stringValue: v } });
  return JSON.stringify({
    resourceSpans: [...byResource.values()].map((list) => ({
      resource: { attributes: [attr('service.name', list[0]!.service), ...(list[0]!.instance !== '' ? [attr('service.instance.id', list[0]!.instance)] : [])] },
      scopeSpans: [{
        spans: list.map((s) => ({
          traceId: s.traceId, spanId: s.spanId, ...(s.parentId !== '' ? { parentSpanId: s.parentId } : {}), name: 'op',
          startTimeUnixNano: ns(s.startMs), endTimeUnixNano: ns(s.endMs), ...(s.error ? { status: { code: 2 } } : {}),
          ...(s.resend !== undefined ? { attributes: [{ key: 'http.request.resend_count', value: { intValue: String(s.resend) } }] } : {}),
        })),
      }],
    })),
  });
}

export function toZipkin(spans: readonly Span[]): string {
  return JSON.stringify(
    spans.map((s) => ({
      traceId: s.traceId,
      id: s.spanId,
      ...(s.parentId !== '' ? { parentId: s.parentId } : {}),
      name: 'op',
      kind: 'SERVER',
      timestamp: us(s.startMs),
      duration: us(s.endMs) - us(s.startMs),
      localEndpoint: { serviceName: s.service, ...(s.instance !== '' ? { ipv4: s.instance } : {}) },
      tags: { ...(s.error ? { error: 'true' } : {}), ...(s.resend !== undefined ? { 'http.request.resend_count': String(s.resend) } : {}) },
    })),
  );
}

export function toJaeger(spans: readonly Span[]): string {
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) {
    const list = byTrace.get(s.traceId);
    if (list === undefined) byTrace.set(s.traceId, [s]);
    else list.push(s);
  }
  const data = [...byTrace.entries()].map(([traceID, list]) => {
    const procs = new Map<string, string>();
    for (const s of list) if (!procs.has(`${s.service}|${s.instance}`)) procs.set(`${s.service}|${s.instance}`, `p${procs.size + 1}`);
    return {
      traceID,
      spans: list.map((s) => ({
        traceID,
        spanID: s.spanId,
        operationName: 'op',
        references: s.parentId === '' ? [] : [{ refType: 'CHILD_OF', traceID, spanID: s.parentId }],
        startTime: us(s.startMs),
        duration: us(s.endMs) - us(s.startMs),
        tags: [
          ...(s.error ? [{ key: 'error', type: 'bool', value: true }] : []),
          ...(s.resend !== undefined ? [{ key: 'http.request.resend_count', type: 'int64', value: s.resend }] : []),
        ],
        processID: procs.get(`${s.service}|${s.instance}`),
      })),
      processes: Object.fromEntries(
        [...procs.entries()].map(([k, id]) => {
          const [serviceName, host] = k.split('|');
          return [id, { serviceName, tags: host ? [{ key: 'hostname', type: 'string', value: host }] : [] }];
        }),
      ),
    };
  });
  return JSON.stringify({ data });
}

/** Each non-root span is a call from its parent's service: recorded by the caller (rt > 0) and by the callee (rt < 0). */
export function toAlibaba(spans: readonly Span[]): string {
  const rows = ['timestamp,traceid,rpcid,um,rpctype,dm,interface,rt,uminstanceid,dminstanceid'];
  const byId = new Map(spans.map((s) => [`${s.traceId}/${s.spanId}`, s]));
  const kids = new Map<string, Span[]>();
  for (const s of spans) {
    const k = `${s.traceId}/${s.parentId}`;
    if (s.parentId === '' || !byId.has(k)) continue;
    const list = kids.get(k);
    if (list === undefined) kids.set(k, [s]);
    else list.push(s);
  }
  const t0 = spans.reduce((m, s) => Math.min(m, s.startMs), Infinity);
  const emit = (parent: Span, rpc: string): void => {
    const list = (kids.get(`${parent.traceId}/${parent.spanId}`) ?? []).sort((a, b) => a.startMs - b.startMs);
    list.forEach((c, i) => {
      const id = `${rpc}.${i + 1}`;
      const t = (c.startMs - t0).toFixed(3);
      const rt = (c.endMs - c.startMs).toFixed(3);
      rows.push(`${t},${c.traceId},${id},${parent.service},rpc,${c.service},op,${rt},${parent.instance},${c.instance}`);
      rows.push(`${t},${c.traceId},${id},${parent.service},rpc,${c.service},op,-${rt},${parent.instance},${c.instance}`);
      emit(c, id);
    });
  };
  for (const s of spans) if (s.parentId === '' || !byId.has(`${s.traceId}/${s.parentId}`)) emit(s, '0');
  return `${rows.join('\n')}\n`;
}
