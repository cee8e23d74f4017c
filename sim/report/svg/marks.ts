/** The shapes of marks and legend samples, as SVG elements. */
import { esc, num } from './escape.js';
import type { Shape } from './types.js';

/** An SVG element for a mark of `shape` centred on (cx, cy), radius r; `extra` is raw attribute text. */
export function shapeElement(shape: Shape, cx: number, cy: number, r: number, color: string, hollow: boolean, extra = '', title?: string): string {
  const paint = hollow ? `fill="#fff" stroke="${esc(color)}" stroke-width="1.6"` : `fill="${esc(color)}" stroke="#fff" stroke-width="0.6"`;
  const tip = title !== undefined ? `<title>${esc(title)}</title>` : '';
  const close = (open: string): string => (tip === '' ? `${open}/>` : `${open}>${tip}</${open.slice(1, open.indexOf(' '))}>`);
  switch (shape) {
    case 'circle':
      return close(`<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r)}" ${paint}${extra}`);
    case 'square':
      return close(`<rect x="${num(cx - r)}" y="${num(cy - r)}" width="${num(2 * r)}" height="${num(2 * r)}" ${paint}${extra}`);
    case 'diamond': {
      const k = r * 1.35;
      return close(`<path d="M${num(cx)} ${num(cy - k)}L${num(cx + k)} ${num(cy)}L${num(cx)} ${num(cy + k)}L${num(cx - k)} ${num(cy)}Z" ${paint}${extra}`);
    }
    case 'triangle': {
      const k = r * 1.3;
      return close(`<path d="M${num(cx)} ${num(cy - k)}L${num(cx + k)} ${num(cy + k * 0.8)}L${num(cx - k)} ${num(cy + k * 0.8)}Z" ${paint}${extra}`);
    }
  }
}
