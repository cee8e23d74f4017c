/**
 * CSV rows with a header, streamed: the part the `csv` and `azure-llm`
 * formats share. Opens the file, maps the header's columns, then hands out
 * one row's fields at a time — blank lines skipped, unclosed quotes and rows
 * of the wrong width reported with their row and line.
 */
import { readHeader, type ColumnIndex } from './columns.js';
import { splitCsvLine } from './csv-split.js';
import { LineReader } from './lines.js';
import type { RowRules } from './rules.js';

export class CsvRows<K extends string> {
  private readonly lines: LineReader;
  /** The fields of the current row (reused). */
  readonly fields: string[] = [];
  /** Column positions; null for a file with no header (empty): no rows. */
  readonly cols: ColumnIndex<K> | null;
  private readonly width: number;

  constructor(
    file: string,
    required: readonly K[],
    optional: readonly K[],
    private readonly rules: RowRules,
  ) {
    this.lines = new LineReader(file);
    try {
      const header = readHeader(this.lines, file, required, optional);
      this.cols = header === null ? null : header.cols;
      this.width = header === null ? 0 : header.width;
    } catch (err) {
      this.lines.close();
      throw err;
    }
  }

  /** Moves to the next row (its fields in `fields`, the rules on its number); false at the end. */
  next(): boolean {
    if (this.cols === null) return false;
    const text = this.lines.nextFilled();
    if (text === null) return false;
    const r = this.rules;
    r.begin(this.lines.lineNo);
    const n = splitCsvLine(text, this.fields);
    if (n === -1) r.fail('a quoted field is not closed on this line (quoted fields may not span lines)');
    if (n !== this.width) r.fail(`expected ${this.width} fields as in the header; got ${n}`);
    return true;
  }

  close(): void {
    this.lines.close();
  }
}
