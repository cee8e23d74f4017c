/**
 * A run's recorded spans in the span model, in memory, so that a simulated
 * mesh and a traced one are derived by the same code (fidelity).
 */
import type { SpanRecorder } from '../metrics/spans.js';
import type { Span } from './span.js';

export function recordedSpans(rec: SpanRecorder): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < rec.count; i++) {
    const p = rec.parent[i]!;
    const a = rec.agent[i]!;
    out.push({
      traceId: `${rec.entry[i]}/${rec.seq[i]}`,
      spanId: String(i),
      parentId: p >= 0 ? String(p) : '',
      service: rec.agentRole[a] ?? `agent${a}`,
      instance: String(a),
      startMs: rec.startMs[i]!,
      endMs: rec.endMs[i]!,
      error: rec.error[i] === 1,
      bytes: -1,
      // A client's later try of the request, as the OTLP export marks it: the
      // derivation folds it into its request, as it does a trace's.
      ...(rec.resend[i]! > 0 ? { resend: rec.resend[i]! } : {}),
      where: `span ${i}`,
    });
  }
  return out;
}
