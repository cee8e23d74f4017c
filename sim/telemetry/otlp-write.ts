/**
 * A run's spans as OTLP JSON (`simulate --spans`): the Collector file
 * exporter's layout, one ExportTraceServiceRequest per line, each holding up
 * to LINE_SPANS spans, so a long run is written line by line and read back
 * the same way. One resource per replica: `service.name` is the role,
 * `service.instance.id` the agent (`role#i`); a retried request's later roots
 * carry `http.request.resend_count`. Trace ids come from (seed,
 * workload entry, message sequence number), span ids from the span's index;
 * times are ns after a fixed epoch (2023-11-14T22:13:20Z), so the same run
 * writes the same bytes.
 */
import type { SpanRecorder } from '../metrics/spans.js';

const EPOCH_NS = 1_700_000_000_000_000_000n;
const LINE_SPANS = 5000;

export function* otlpLines(rec: SpanRecorder, seed: number): Generator<string> {
  for (let from = 0; from < rec.count; from += LINE_SPANS) {
    const to = Math.min(rec.count, from + LINE_SPANS);
    const byAgent = new Map<number, unknown[]>();
    for (let i = from; i < to; i++) {
      const a = rec.agent[i]!;
      let list = byAgent.get(a);
      if (list === undefined) byAgent.set(a, (list = []));
      const p = rec.parent[i]!;
      list.push({
        traceId: traceId(seed, rec.entry[i]!, rec.seq[i]!),
        spanId: spanId(i),
        ...(p >= 0 ? { parentSpanId: spanId(p) } : {}),
        name: `stage ${rec.stage[i]}`,
        kind: 2,
        startTimeUnixNano: nanos(rec.startMs[i]!),
        endTimeUnixNano: nanos(rec.endMs[i]!),
        ...(rec.error[i] === 1 ? { status: { code: 2, message: 'message lost' } } : {}),
        // A client's later try, as OpenTelemetry counts them: an import takes the request once.
        ...(rec.resend[i]! > 0 ? { attributes: [{ key: 'http.request.resend_count', value: { intValue: String(rec.resend[i]) } }] } : {}),
      });
    }
    const resourceSpans = [...byAgent.entries()]
      .sort((x, y) => x[0] - y[0])
      .map(([a, spans]) => ({
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: rec.agentRole[a] ?? `agent${a}` } },
            { key: 'service.instance.id', value: { stringValue: `${rec.agentRole[a] ?? 'agent'}#${rec.agentReplica[a] ?? a}` } },
          ],
        },
        scopeSpans: [{ scope: { name: 'meshtune' }, spans }],
      }));
    yield JSON.stringify({ resourceSpans });
  }
}

function nanos(ms: number): string {
  return String(EPOCH_NS + BigInt(Math.round(ms * 1e6)));
}

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).padStart(width, '0');
}

function traceId(seed: number, entry: number, seq: number): string {
  return `${hex(seed, 8)}${hex(entry, 8)}${hex(Math.floor(seq / 4294967296), 8)}${hex(seq % 4294967296, 8)}`;
}

function spanId(i: number): string {
  return `${hex(Math.floor((i + 1) / 4294967296), 8)}${hex((i + 1) % 4294967296, 8)}`;
}
