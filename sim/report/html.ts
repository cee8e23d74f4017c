/**
 * A report document as one self-contained HTML page: inline CSS and inline
 * SVG charts, no script, no external resource (readers may be offline).
 */
import type { Block, ReportDoc } from './doc.js';
import { esc } from './svg/escape.js';

/** Escaped text with the two inline marks of the document: **bold** and `code`. */
export function inline(text: string): string {
  return esc(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1d1d1f; margin: 0; background: #fafafa; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.4em; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
nav ul { columns: 2; margin: 0.5em 0 1em; padding-left: 0; list-style: none; }
table { border-collapse: collapse; margin: 0.6em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; vertical-align: top; }
th { background: #f3f3f3; text-align: left; }
td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, monospace; background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
pre { background: #f6f6f6; padding: 10px 12px; overflow-x: auto; }
pre code { background: none; padding: 0; }
blockquote { margin: 0.6em 0; padding: 0.2em 12px; border-left: 4px solid #e0b050; background: #fffaf0; }
figure { margin: 1em 0 1.4em; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.88em; color: #555; margin-top: 2px; }
footer { margin-top: 2em; font-size: 0.85em; color: #666; }
`.trim();

function block(b: Block): string {
  switch (b.kind) {
    case 'p':
      return `<p>${inline(b.text)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((i) => `<li>${inline(i)}</li>`).join('\n')}\n</ul>`;
    case 'note':
      return `<blockquote>${inline(b.text)}</blockquote>`;
    case 'h3':
      return `<h3>${inline(b.text)}</h3>`;
    case 'code':
      return `<pre><code class="language-${esc(b.lang)}">${esc(b.text)}</code></pre>`;
    case 'figure':
      return `<figure>\n${b.svg}\n<figcaption>${inline(b.caption)}</figcaption>\n</figure>`;
    case 'table': {
      const cls = (i: number): string => (b.align?.[i] === 'r' ? ' class="r"' : '');
      const head = `<tr>${b.head.map((h, i) => `<th${cls(i)}>${inline(h)}</th>`).join('')}</tr>`;
      const rows = b.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${inline(c)}</td>`).join('')}</tr>`);
      return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
    }
  }
}

export function toHtml(doc: ReportDoc): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${esc(doc.title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>${inline(doc.title)}</h1>`,
    ...doc.intro.map(block),
    `<nav><ul>${doc.sections.map((s) => `<li><a href="#${esc(s.id)}">${inline(s.title)}</a></li>`).join('')}</ul></nav>`,
    '</header>',
  ];
  for (const s of doc.sections) {
    out.push(`<section id="${esc(s.id)}">`, `<h2>${inline(s.title)}</h2>`, ...s.blocks.map(block), '</section>');
  }
  out.push(`<footer>${inline(doc.footer)}</footer>`, '</main>', '</body>', '</html>');
  return `${out.join('\n')}\n`;
}
