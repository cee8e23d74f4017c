/**
 * From a running mesh's telemetry to a scenario (SPEC §11): read the spans,
 * derive the call structure, fit the distributions and the arrivals, write
 * the YAML with its provenance.
 */
import path from 'node:path';
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
}

export function importTraces(format: TelemetryFormat, files: readonly string[], opts: ImportOptions = {}): ImportResult {
  const { derived: d, diag, spans } = readDerived(format, files, opts.windowMs ?? Infinity);
  const inferred = infer(d, opts.windowMs ?? null);
  const base = path.basename(files[0] ?? 'trace').replace(/\..*$/, '').replace(/[^\w.-]/g, '-');
  const name = opts.name ?? `imported-${base}`;
  return { yaml: scenarioYaml(inferred, { format, files: files.map((f) => path.basename(f)), name }), inferred, diagnostics: diag, spansRead: spans };
}
