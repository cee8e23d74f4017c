/**
 * Reads a text file line by line in fixed chunks (fs.readSync), so a trace of
 * any length costs one buffer of memory. Splitting happens on the byte 0x0A,
 * which never occurs inside a multi-byte UTF-8 sequence, so decoding each line
 * on its own is exact. A trailing '\r' (CRLF files) and a leading byte-order
 * mark are dropped.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../scenario/errors.js';
import { isBlank } from './csv-split.js';

/** Default read size, bytes (1 MiB). */
export const CHUNK_BYTES = 1 << 20;

const NEWLINE = 0x0a;
const CR = 0x0d;

export class LineReader {
  /** 1-based number of the line last returned by {@link next}; 0 before the first. */
  lineNo = 0;
  private fd: number;
  private buf: Buffer;
  /** Unread bytes are buf[start, end). */
  private start = 0;
  private end = 0;
  /** Where to resume looking for a newline (bytes before it hold none). */
  private scan = 0;
  /** File offset of the next read. */
  private pos = 0;
  private eof = false;

  constructor(
    private readonly file: string,
    chunkBytes = CHUNK_BYTES,
  ) {
    this.fd = openFile(file);
    this.buf = Buffer.allocUnsafe(Math.max(16, chunkBytes));
  }

  /** The next line that holds more than spaces and tabs, or null at the end of the file. */
  nextFilled(): string | null {
    for (;;) {
      const text = this.next();
      if (text === null || !isBlank(text)) return text;
    }
  }

  /** The next line without its line ending, or null at the end of the file. */
  next(): string | null {
    const line = this.nextBytes();
    return line === null ? null : line.buf.toString('utf8', line.from, line.to);
  }

  /**
   * The next line as bytes, `buf[from, to)` without its line ending (nor a
   * leading byte-order mark), valid until the next call; null at the end of
   * the file. For readers that parse a long line without making it a string.
   */
  nextBytes(): LineBytes | null {
    for (;;) {
      const nl = this.scan < this.end ? this.buf.indexOf(NEWLINE, this.scan) : -1;
      if (nl !== -1 && nl < this.end) {
        const line = this.span(this.start, nl);
        this.start = this.scan = nl + 1;
        return line;
      }
      this.scan = this.end;
      if (this.eof) {
        if (this.start >= this.end) return null;
        const line = this.span(this.start, this.end);
        this.start = this.scan = this.end;
        return line;
      }
      this.fill();
    }
  }

  /** Releases the file; later calls to {@link next} return null. Safe to call more than once. */
  close(): void {
    this.start = this.scan = this.end;
    this.eof = true;
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  /** Makes room (shifting the partial line to the front, or growing for a very long line) and reads one chunk. */
  private fill(): void {
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.scan -= this.start;
      this.start = 0;
    }
    if (this.end === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    if (this.fd < 0) {
      this.eof = true;
      return;
    }
    let n: number;
    try {
      n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.pos);
    } catch (err) {
      throw new InputError(this.file, '', `cannot read the trace (${errorCode(err)})`);
    }
    if (n === 0) this.eof = true;
    this.end += n;
    this.pos += n;
  }

  private span(from: number, to: number): LineBytes {
    const buf = this.buf;
    let stop = to;
    if (stop > from && buf[stop - 1] === CR) stop--;
    this.lineNo++;
    // U+FEFF in UTF-8.
    const start = this.lineNo === 1 && stop - from >= 3 && buf[from] === 0xef && buf[from + 1] === 0xbb && buf[from + 2] === 0xbf ? from + 3 : from;
    return { buf, from: start, to: stop, line: this.lineNo };
  }
}

/** A line's bytes, `buf[from, to)`, and its 1-based number. */
export interface LineBytes {
  buf: Buffer;
  from: number;
  to: number;
  line: number;
}

/** Opens a file for reading, or throws an InputError that says why it cannot be read. */
export function openFile(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (err) {
    throw new InputError(file, '', `cannot open the trace (${errorCode(err)}); expected a readable file`);
  }
}

export function errorCode(err: unknown): string {
  if (err !== null && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}
