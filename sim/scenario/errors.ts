/**
 * Bad input, reported as one line that names the file, the field and what was
 * expected: `<file>:<line>: <path>: <what was expected>`. The CLI prints the
 * message as it is and exits 2, so the message must stand on its own.
 */
import { oneLine, quote } from './units.js';

/** A step into a parsed document: a mapping key or a list index. */
export type PathSegment = string | number;

/** Exported by the library as `MeshtuneInputError`. */
export class InputError extends Error {
  override readonly name = 'MeshtuneInputError';
  /** The file as the user named it (`<input>` for text without a file, '' for an option). */
  readonly file: string;
  /** The field, like `roles.worker.service.mean` or `workload[0].to`; '' for the whole file. */
  readonly path: string;
  /** 1-based line of the offending node, when it could be found. */
  readonly line: number | null;
  /** What was wrong or expected, without the file and path. */
  readonly detail: string;

  constructor(file: string, path: string, detail: string, line: number | null = null) {
    // An option (no file) is named by itself: `--seed: expected …`. A file
    // name is the user's string too: its controls are escaped, its length cut.
    const name = oneLine(file, 200);
    const where = file === '' ? '' : line === null ? `${name}: ` : `${name}:${line}: `;
    super(oneLine(path === '' ? `${where}${detail}` : `${where}${oneLine(path, 200)}: ${detail}`, 2000));
    this.file = file;
    this.path = path;
    this.line = line;
    this.detail = detail;
  }

  /** The field path (the same as `path`), as the library documents it. */
  get field(): string {
    return this.path;
  }
}

/**
 * A problem found in a parsed scenario, before it is tied to a file and line.
 * The loader turns it into an {@link InputError}.
 */
export class FieldIssue extends Error {
  override readonly name = 'FieldIssue';
  constructor(
    readonly at: readonly PathSegment[],
    readonly detail: string,
  ) {
    super(`${formatPath(at)}: ${detail}`);
  }
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `['workload', 0, 'to']` → `workload[0].to`; keys that are not plain words are quoted. */
export function formatPath(at: readonly PathSegment[]): string {
  let out = '';
  for (const seg of at) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg.length > 40 ? `${seg.slice(0, 37)}...` : seg)}]`;
  }
  return out;
}

/** The closest of `options` to `word` when it is a plausible typo of it, for "did you mean". */
export function closest(word: string, options: readonly string[]): string | null {
  let best: string | null = null;
  let bestDist = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestDist) {
      best = o;
      bestDist = d;
    }
  }
  return best !== null && bestDist <= Math.max(1, Math.floor(best.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** `unknown role 'wrker' (did you mean 'worker'?); roles are: a, b` and the like. */
export function unknownName(what: string, name: string, plural: string, known: readonly string[]): string {
  // The edit distance is quadratic: a name longer than any sensible one gets no guess.
  const guess = name.length > 64 ? null : closest(name, known);
  const hint = guess === null ? '' : ` (did you mean ${quote(guess)}?)`;
  const shown = known.length > MAX_LISTED ? [...known.slice(0, MAX_LISTED), `and ${known.length - MAX_LISTED} more`] : known;
  return `unknown ${what} ${quote(name)}${hint}; ${plural} are: ${shown.join(', ')}`;
}

/** Names listed in an "unknown name" message before the rest are counted. */
const MAX_LISTED = 30;
