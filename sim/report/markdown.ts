/** A report document as Markdown (GitHub flavour). */
import type { Block, ReportDoc } from './doc.js';

/** A table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function block(b: Block): string[] {
  switch (b.kind) {
    case 'p':
      return [b.text, ''];
    case 'list':
      return [...b.items.map((i) => `- ${i}`), ''];
    case 'note':
      return [`> ${b.text}`, ''];
    case 'h3':
      return [`### ${b.text}`, ''];
    case 'code':
      return ['```' + b.lang, b.text, '```', ''];
    case 'figure':
      return [];
    case 'table': {
      const align = b.head.map((_, i) => (b.align?.[i] === 'r' ? '---:' : '---'));
      return [`| ${b.head.map(cell).join(' | ')} |`, `| ${align.join(' | ')} |`, ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`), ''];
    }
  }
}

export function toMarkdown(doc: ReportDoc): string {
  const L: string[] = [`# ${doc.title}`, ''];
  for (const b of doc.intro) L.push(...block(b));
  const figures = doc.sections.reduce((n, s) => n + s.blocks.filter((b) => b.kind === 'figure').length, 0);
  if (figures > 0) L.push(`The ${figures} charts of this report are in report.html, next to this file.`, '');
  for (const s of doc.sections) {
    L.push(`## ${s.title}`, '');
    for (const b of s.blocks) L.push(...block(b));
  }
  L.push(doc.footer);
  return `${L.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}
