/**
 * Maps a header line to column positions: the required columns must all be
 * there, optional ones may be, in any order. Names match without regard to
 * case. Columns the format does not know are ignored (real traces carry extra
 * ones), unless a name is a likely typo of a known column, which is an error.
 */
import { InputError, closest } from '../../scenario/errors.js';
import { splitCsvLine } from './csv-split.js';
import type { LineReader } from './lines.js';

/** Column positions by name; -1 for an optional column that is absent. */
export type ColumnIndex<K extends string> = Record<K, number>;

export function mapColumns<K extends string>(
  file: string,
  line: number,
  header: readonly string[],
  required: readonly K[],
  optional: readonly K[],
): ColumnIndex<K> {
  const known = [...required, ...optional];
  const index = {} as ColumnIndex<K>;
  for (const name of known) index[name] = -1;
  const lower = known.map((k) => k.toLowerCase());
  header.forEach((raw, i) => {
    const name = raw.toLowerCase();
    const k = lower.indexOf(name);
    const key = known[k];
    if (key === undefined) {
      const guess = closest(name, known);
      if (guess !== null && name !== '') {
        throw new InputError(file, 'header', `unknown column '${raw}' (did you mean '${guess}'?); columns are: ${known.join(', ')}`, line);
      }
      return;
    }
    if (index[key] !== -1) throw new InputError(file, 'header', `column '${key}' appears twice; header found: ${header.join(',')}`, line);
    index[key] = i;
  });
  const missing = required.filter((k) => index[k] === -1);
  if (missing.length > 0) {
    const what = missing.length === 1 ? `column '${missing[0]}'` : `columns ${missing.map((m) => `'${m}'`).join(', ')}`;
    throw new InputError(
      file,
      'header',
      `missing required ${what}; expected a header with ${required.join(',')}${optional.length > 0 ? ` (optional: ${optional.join(',')})` : ''}; header found: ${header.join(',')}`,
      line,
    );
  }
  return index;
}

/** The first non-blank line of a CSV file read as its header; null for a file with no lines (no rows). */
export function readHeader<K extends string>(
  lines: LineReader,
  file: string,
  required: readonly K[],
  optional: readonly K[],
): { cols: ColumnIndex<K>; width: number } | null {
  const fields: string[] = [];
  const text = lines.nextFilled();
  if (text === null) return null;
  const n = splitCsvLine(text, fields);
  if (n === -1) throw new InputError(file, 'header', 'a quoted column name is not closed on this line', lines.lineNo);
  return { cols: mapColumns(file, lines.lineNo, fields.slice(0, n), required, optional), width: n };
}
