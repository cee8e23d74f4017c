/**
 * Reading trace files of one format into the span model, with the problems
 * counted. An input with no usable span is bad input (exit 2).
 */
import { InputError } from '../scenario/errors.js';
import { readAlibaba } from './alibaba.js';
import type { Derived } from './derive.js';
import { Diagnostics } from './diagnostics.js';
import { readJaeger } from './jaeger.js';
import { readOtlp } from './otlp.js';
import type { ReaderHooks } from './reader-hooks.js';
import { TELEMETRY_FORMATS, type Span, type TelemetryFormat } from './span.js';
import { TRACE_IDLE_MS, TraceStream } from './stream.js';
import { readZipkin } from './zipkin.js';

/** A format's reader, with the hooks its format serves (reader-hooks.ts). */
type Reader = (file: string, diag: Diagnostics, add: (s: Span) => void, hooks?: ReaderHooks) => void;

const READERS: Record<TelemetryFormat, Reader> = {
  otlp: readOtlp,
  jaeger: readJaeger,
  zipkin: readZipkin,
  alibaba: readAlibaba,
};

export function isTelemetryFormat(s: string): s is TelemetryFormat {
  return (TELEMETRY_FORMATS as readonly string[]).includes(s);
}

/** Every span of the files, in memory (small inputs, tests). */
export function readSpans(format: TelemetryFormat, files: readonly string[]): { spans: Span[]; diag: Diagnostics } {
  const diag = new Diagnostics();
  const spans: Span[] = [];
  eachSpan(format, files, diag, () => spans.length, (s) => spans.push(s));
  return { spans, diag };
}

/**
 * The files' spans derived as they are read, a trace at a time (stream.ts):
 * memory holds the traces of the last idle window and the aggregates, not the
 * spans. Alibaba CSV is derived in one batch at the end (its spans are only
 * known once every row is read).
 */
export function readDerived(format: TelemetryFormat, files: readonly string[], windowMs = Infinity): { derived: Derived; diag: Diagnostics; spans: number } {
  const diag = new Diagnostics();
  const stream = new TraceStream(diag, windowMs, format === 'alibaba' ? Infinity : TRACE_IDLE_MS);
  // An Alibaba file timed to the whole millisecond (the published trace) reads touching calls as
  // overlapping by a fraction of one at random: its traces, all held to the end, are derived with that slack.
  let resolution = 0;
  eachSpan(format, files, diag, () => stream.count, stream.add, { addLine: stream.addLine, onResolution: (ms) => (resolution = Math.max(resolution, ms)) });
  stream.slackMs = resolution;
  const derived = stream.end();
  if (derived.traces === 0) {
    // Spans but no request: every root is a later try, or no span leads to a root (parent links in a cycle).
    throw new InputError(files.join(', '), '', `no request among the ${stream.count} spans read: none is a first try's root or hangs from one (are their parent links a cycle, or is every root a retried try?)`);
  }
  return { derived, diag, spans: stream.count };
}

function eachSpan(
  format: TelemetryFormat,
  files: readonly string[],
  diag: Diagnostics,
  count: () => number,
  add: (s: Span) => void,
  hooks: ReaderHooks = {},
): void {
  for (const file of files) {
    const before = count();
    const malformed = diag.counts.malformed;
    READERS[format](file, diag, add, hooks);
    if (count() === before) {
      const why = diag.counts.malformed > malformed ? `; first problem: ${diag.examples.malformed[0] ?? 'malformed'}` : '';
      throw new InputError(file, '', `no usable span; expected ${EXPECTED[format]}${why}`);
    }
  }
}

const EXPECTED: Record<TelemetryFormat, string> = {
  otlp: 'OTLP JSON (resourceSpans[].scopeSpans[].spans[] with traceId, spanId, startTimeUnixNano, endTimeUnixNano and a service.name resource attribute)',
  jaeger: 'Jaeger JSON ({data: [{traceID, spans: [{traceID, spanID, startTime, duration, processID}], processes}]})',
  zipkin: 'Zipkin v2 JSON (a list of spans with traceId, id, timestamp, duration, localEndpoint.serviceName)',
  alibaba: 'the Alibaba v2021 call-graph CSV (timestamp, traceid, rpcid, um, rpctype, dm, interface, rt)',
};
