/** What a trace reader may be handed besides its span sink; a reader takes the hooks its format serves and ignores the others. */
import type { LineSink } from './otlp-scan.js';

export interface ReaderHooks {
  /** OTLP JSON Lines: the scanned spans of a line as columns, instead of one object each to the span sink. */
  addLine?: LineSink;
  /** Alibaba: the time resolution of the file's calls, ms, where the format can tell it. */
  onResolution?: (ms: number) => void;
}
