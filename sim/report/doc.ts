/**
 * A report as plain blocks, rendered twice: as Markdown (report.md) and as
 * HTML with its charts (report.html), so both always say the same thing.
 * Text may carry two inline marks: **bold** and `code`.
 */

export type Block =
  | { kind: 'p'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; align?: Array<'l' | 'r'>; rows: string[][] }
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'h3'; text: string }
  /** A chart: drawn in HTML; Markdown points to report.html. */
  | { kind: 'figure'; caption: string; svg: string };

export interface Section {
  /** Anchor of the section in report.html. */
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportDoc {
  title: string;
  intro: Block[];
  sections: Section[];
  footer: string;
}

export const p = (text: string): Block => ({ kind: 'p', text });
export const list = (items: string[]): Block => ({ kind: 'list', items });
export const note = (text: string): Block => ({ kind: 'note', text });
export const h3 = (text: string): Block => ({ kind: 'h3', text });
export const figure = (caption: string, svg: string): Block => ({ kind: 'figure', caption, svg });
export const table = (head: string[], rows: string[][], align?: Array<'l' | 'r'>): Block => ({ kind: 'table', head, rows, ...(align !== undefined ? { align } : {}) });
