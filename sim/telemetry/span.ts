/**
 * The one span model every trace format is read into. Times are milliseconds
 * from the Unix epoch as doubles (microsecond resolution survives: 1.7e12 ms
 * needs 41 bits of the 53), which is all the inference needs.
 */
export interface Span {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentId: string;
  /** The role. */
  service: string;
  /** The replica (service.instance.id, host, address), '' when the format does not say. */
  instance: string;
  startMs: number;
  endMs: number;
  /** The span says the call failed (OTLP status ERROR, an `error` tag, a failed rt). */
  error: boolean;
  /** Request payload bytes from a standard attribute, -1 when absent. */
  bytes: number;
  /** Where the span was read, for messages: `file:line` (or `file:#n` for the n-th span of a document). */
  where: string;
}

/** The trace formats `meshtune import` reads. */
export const TELEMETRY_FORMATS = ['otlp', 'jaeger', 'zipkin', 'alibaba'] as const;
export type TelemetryFormat = (typeof TELEMETRY_FORMATS)[number];

/** Attributes / tags that carry a request's payload size (OpenTelemetry semantic conventions). */
export const SIZE_KEYS = ['http.request.body.size', 'messaging.message.body.size', 'rpc.request.size', 'http.request_content_length'];

