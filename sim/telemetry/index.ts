/**
 * From a running mesh's telemetry to a scenario (SPEC §11): read the spans,
 * derive the call structure, fit the distributions and the arrivals, write
 * the YAML with its provenance.
 */
import path from 'node:path';
import { InputError } from '../scenario/errors.js';
import { parseScenario } from '../scenario/load.js';
import type { Derived } from './derive.js';
import type { Diagnostics } from './diagnostics.js';
import { infer, type Inferred } from './infer.js';
import { readDerived } from './read.js';
import type { TelemetryFormat } from './span.js';
import { scenarioYaml } from './yaml.js';

export { TELEMETRY_FORMATS, type Span, type TelemetryFormat } from './span.js';
export { isTelemetryFormat, readDerived, readSpans } from './read.js';
export { fitSample, fitFamily, ksDistance, FAMILIES, type Fit, type Family } from './fit.js';
export { fitArrivals, type Arrivals } from './arrivals.js';
export { derive, Derivation, type Derived } from './derive.js';
export { TraceStream, TRACE_IDLE_MS } from './stream.js';
export { Diagnostics } from './diagnostics.js';
export type { Inferred } from './infer.js';

export interface ImportResult {
  yaml: string;
  inferred: Inferred;
  diagnostics: Diagnostics;
  /** Spans read. */
  spansRead: number;
}

export interface ImportOptions {
  /** Only requests whose root starts within this long of the first, ms. */
  windowMs?: number;
  /** The scenario's name (default: the first file's base name). */
  name?: string;
  /** The share of the mesh's requests the traces hold, in (0, 1] (head sampling); the arrival rates are scaled by its inverse. */
  sampleRate?: number;
}

export function importTraces(format: TelemetryFormat, files: readonly string[], opts: ImportOptions = {}): ImportResult {
  const { derived: d, diag, spans } = readDerived(format, files, opts.windowMs ?? Infinity);
  const inferred = infer(d, opts.windowMs ?? null, opts.sampleRate ?? 1);
  const base = path.basename(files[0] ?? 'trace').replace(/\..*$/, '').replace(/[^\w.-]/g, '-');
  const name = opts.name ?? `imported-${base}`;
  const yaml = scenarioYaml(inferred, { format, files: files.map((f) => path.basename(f)), name });
  refuseUnrunnable(yaml, d, files, format);
  return { yaml, inferred, diagnostics: diag, spansRead: spans };
}

/** Spans timed before this (March 1973, in ms from the epoch) were most likely written in a smaller unit than the format's. */
const EPOCH_TOO_EARLY_MS = 1e11;

/**
 * An import never writes a scenario its own loader refuses: such traces are
 * bad input, named by their files, with the loader's reason (and a word on
 * the time unit when every request started before 1973, the usual cause:
 * milliseconds written where nanoseconds belong).
 */
function refuseUnrunnable(yaml: string, d: Derived, files: readonly string[], format: TelemetryFormat): void {
  try {
    parseScenario(yaml, '<imported>');
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const starts = d.rootStartsMs;
    // The Alibaba trace counts from its own start, not the epoch: an early time means nothing there.
    const early = format !== 'alibaba' && starts.length > 0 && starts[starts.length - 1]! < EPOCH_TOO_EARLY_MS;
    const unit = early ? '; every request starts before 1973: were the times written in another unit than the format\'s (milliseconds for nanoseconds)?' : '';
    throw new InputError(files.join(', '), '', `the traces give a scenario meshtune cannot run (${err.path === '' ? err.detail : `${err.path}: ${err.detail}`})${unit}`);
  }
}
