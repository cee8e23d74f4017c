/**
 * Splits one CSV line into fields. The dialect: comma-separated; fields are
 * trimmed of surrounding spaces; a field may be wrapped in double quotes, in
 * which case it may contain commas and a doubled quote ("") stands for one
 * quote (RFC 4180). A quoted field may not span lines: the reader splits the
 * file on newlines first. Other separators (tab, semicolon) are not supported.
 */

/**
 * Writes the fields of `text` into `out` (reused between lines; entries past
 * the returned count are stale) and returns the number of fields, or -1 when a
 * quote is left open.
 */
export function splitCsvLine(text: string, out: string[]): number {
  let n = 0;
  let i = 0;
  const len = text.length;
  for (;;) {
    while (i < len && text.charCodeAt(i) === 0x20) i++;
    if (i < len && text.charCodeAt(i) === 0x22) {
      // quoted field
      let value = '';
      let from = ++i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) return -1;
        if (text.charCodeAt(q + 1) === 0x22) {
          value += text.slice(from, q + 1);
          i = from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      while (i < len && text.charCodeAt(i) === 0x20) i++;
      if (i < len && text.charCodeAt(i) !== 0x2c) return -1;
      out[n++] = value;
    } else {
      const comma = text.indexOf(',', i);
      const stop = comma === -1 ? len : comma;
      let last = stop;
      while (last > i && text.charCodeAt(last - 1) === 0x20) last--;
      out[n++] = text.slice(i, last);
      i = stop;
    }
    if (i >= len) return n;
    i++; // past the comma
  }
}

/** True for a line with nothing but spaces and tabs. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}
