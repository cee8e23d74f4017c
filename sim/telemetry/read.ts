/**
 * Reading trace files of one format into the span model, with the problems
 * counted. An input with no usable span is bad input (exit 2).
 */
import { InputError } from '../scenario/errors.js';
import { readAlibaba } from './alibaba.js';
import { Diagnostics } from './diagnostics.js';
import { readJaeger } from './jaeger.js';
import { readOtlp } from './otlp.js';
import { TELEMETRY_FORMATS, type Span, type TelemetryFormat } from './span.js';
import { readZipkin } from './zipkin.js';

const READERS: Record<TelemetryFormat, (file: string, diag: Diagnostics, add: (s: Span) => void) => void> = {
  otlp: readOtlp,
  jaeger: readJaeger,
  zipkin: readZipkin,
  alibaba: readAlibaba,
};

export function isTelemetryFormat(s: string): s is TelemetryFormat {
  return (TELEMETRY_FORMATS as readonly string[]).includes(s);
}

export function readSpans(format: TelemetryFormat, files: readonly string[]): { spans: Span[]; diag: Diagnostics } {
  const diag = new Diagnostics();
  const spans: Span[] = [];
  for (const file of files) {
    const before = spans.length;
    const malformed = diag.counts.malformed;
    READERS[format](file, diag, (s) => spans.push(s));
    if (spans.length === before) {
      const why = diag.counts.malformed > malformed ? `; first problem: ${diag.examples.malformed[0] ?? 'malformed'}` : '';
      throw new InputError(file, '', `no usable span; expected ${EXPECTED[format]}${why}`);
    }
  }
  return { spans, diag };
}

const EXPECTED: Record<TelemetryFormat, string> = {
  otlp: 'OTLP JSON (resourceSpans[].scopeSpans[].spans[] with traceId, spanId, startTimeUnixNano, endTimeUnixNano and a service.name resource attribute)',
  jaeger: 'Jaeger JSON ({data: [{traceID, spans: [{traceID, spanID, startTime, duration, processID}], processes}]})',
  zipkin: 'Zipkin v2 JSON (a list of spans with traceId, id, timestamp, duration, localEndpoint.serviceName)',
  alibaba: 'the Alibaba v2021 call-graph CSV (timestamp, traceid, rpcid, um, rpctype, dm, interface, rt)',
};
