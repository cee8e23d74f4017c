import { statSync } from 'node:fs';
import type { TraceRows } from './estimate.js';

/** Fewest bytes of a trace row (`0,a#0,b#0,1\n`): the size of a file bounds its rows. */
const MIN_ROW_BYTES = 12;

/** Rows a trace may hold, from its file's size; 0 when it cannot be read (the run says why). */
export const traceRowsFromSize: TraceRows = (w) => {
  try {
    return statSync(w.file).size / MIN_ROW_BYTES;
  } catch {
    return 0;
  }
};
