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
  /**
   * Tries of the same call before this one (`http.request.resend_count`,
   * OpenTelemetry's attribute for a client span that resends a request);
   * absent or 0 for a first try.
   */
  resend?: number;
  /** Where the span was read, for messages: `file:line` (or `file:#n` for the n-th span of a document). */
  where: string;
}

/**
 * The span id prefix of a span an importer made up for a service that has no
 * record of its own (the Alibaba trace's entry services, which appear only as
 * callers): such a span is the service's calls' extent, not its handling.
 */
export const ENTRY_SPAN_PREFIX = 'entry:';

/** The trace formats `meshtune import` reads. */
export const TELEMETRY_FORMATS = ['otlp', 'jaeger', 'zipkin', 'alibaba'] as const;
export type TelemetryFormat = (typeof TELEMETRY_FORMATS)[number];

/** The attribute / tag that numbers a client's retries of one call (OpenTelemetry semantic conventions). */
export const RESEND_KEY = 'http.request.resend_count';

/** A resend count from an attribute or tag value (a number or its decimal text): 0 unless a whole number ≥ 1. */
export function resendOf(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : 0;
}

/** `span` with its resend count when it is a later try; on a first try (0) the field stays absent. */
export function withResend(span: Span, resend: number): Span {
  if (resend > 0) span.resend = resend;
  return span;
}

/** Attributes / tags that carry a request's payload size (OpenTelemetry semantic conventions). */
export const SIZE_KEYS = ['http.request.body.size', 'messaging.message.body.size', 'rpc.request.size', 'http.request_content_length'];

