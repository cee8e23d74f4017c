/**
 * Scenario and configuration text to plain data, YAML or JSON by the file's
 * extension, plus a way to find the line of any field for error messages.
 */
import { isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Node } from 'yaml';
import { InputError } from './errors.js';
import type { PathSegment } from './errors.js';

export interface ParsedText {
  data: unknown;
  /** 1-based line of the node at `path` (of the key itself with `key`), or of its closest existing parent. */
  lineOf(path: readonly PathSegment[], key?: boolean): number | null;
}

const isJson = (file: string) => file.toLowerCase().endsWith('.json');

/**
 * Largest scenario or configuration text, in bytes (SPEC §4.1). YAML parses
 * at roughly a megabyte a second here (the document model keeps every node's
 * position for error messages), so a larger file would take longer to load
 * than most runs take; large workloads belong in a trace file, which streams.
 */
export const MAX_TEXT_BYTES = 4 * 1024 * 1024;

/** The refusal of a text over {@link MAX_TEXT_BYTES}, as one line. */
export function tooLarge(label: string, bytes: number): InputError {
  const mb = (n: number) => `${Number((n / 1024 / 1024).toPrecision(3))} MB`;
  return new InputError(label, '', `the file is ${mb(bytes)}, over the ${mb(MAX_TEXT_BYTES)} limit of a scenario or configuration file; put a large workload in a trace file (pattern: trace)`);
}

/** Parses `text`; a syntax error becomes an {@link InputError} naming `label` and the line. */
export function parseText(text: string, label: string, file: string): ParsedText {
  // Characters are at most 3 bytes of UTF-8 each, and at least one.
  if (text.length > MAX_TEXT_BYTES || (text.length * 3 > MAX_TEXT_BYTES && Buffer.byteLength(text) > MAX_TEXT_BYTES)) {
    throw tooLarge(label, Buffer.byteLength(text));
  }
  const lineCounter = new LineCounter();
  let data: unknown;
  if (isJson(file)) {
    // JSON.parse is a hundred times faster than the YAML document model; the
    // model is built only when an error needs a line number.
    try {
      data = JSON.parse(text);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const pos = /position (\d+)/.exec(msg);
      const line = pos === null ? null : lineAt(text, Number(pos[1]));
      throw new InputError(label, '', `invalid JSON: ${msg.replace(/ at position \d+.*$/, '').replace(/ in JSON$/, '')}`, line);
    }
    let doc: ReturnType<typeof parseDocument> | null = null;
    return {
      data,
      lineOf: (path, key = false) => {
        doc ??= parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'silent' });
        return lineOfNode(doc.contents, path, key, lineCounter);
      },
    };
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0].line ?? lineCounter.linePos(first.pos[0]).line;
    throw new InputError(label, '', `invalid YAML: ${yamlReason(first.message)}`, line);
  }
  visit(doc, {
    Pair(_, pair) {
      // `{[a]: 1}` is valid YAML but has no plain-object form.
      if (isCollection(pair.key)) {
        const range = pair.key.range;
        throw new InputError(label, '', 'invalid key: expected a plain word, got a list or mapping', range ? lineCounter.linePos(range[0]).line : null);
      }
    },
  });
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    // Only alias expansion can fail here (too many `*alias` references).
    throw new InputError(label, '', `invalid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { data, lineOf: (path, key = false) => lineOfNode(doc.contents, path, key, lineCounter) };
}

/** 1-based line of character `pos`. */
function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The first line of a yaml error, without its "at line N, column M" tail. */
function yamlReason(message: string): string {
  const head = message.split('\n')[0] ?? message;
  return head.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function lineOfNode(root: unknown, path: readonly PathSegment[], key: boolean, lc: LineCounter): number | null {
  let node: unknown = root;
  let line: number | null = null;
  const lineAt = (n: unknown) => {
    const range = (n as Node | null)?.range;
    return range ? lc.linePos(range[0]).line : null;
  };
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return line;
      // A key's own line reads best (a block value starts on the next line).
      line = lineAt(pair.key) ?? line;
      if (last && key) return line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return line;
      line = lineAt(item) ?? line;
      node = item;
    } else {
      return line;
    }
  }
  return line;
}

/**
 * The first sentence of the comment at the top of the file (`# ...`), else ''.
 * A sentence wrapped over several comment lines is read to its end (a line
 * ending in `.`, `!` or `?`), joined by spaces; what follows it is not the
 * description.
 */
export function topComment(text: string): string {
  let sentence = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' && sentence === '') continue;
    if (!line.startsWith('#')) break;
    const words = line.replace(/^#+\s*/, '').trim();
    if (words === '') break; // an empty comment line ends the paragraph
    sentence = sentence === '' ? words : `${sentence} ${words}`;
    if (/[.!?]$/.test(words)) break;
  }
  return sentence;
}
