// The playbook as a self-contained SVG picture, drawn from the graph model (not from the
// page): blocks as rects and text, edges as paths, nothing but SVG elements. Issue 20: the
// old export wrapped the page's HTML in a <foreignObject>, which other SVG tools (rsvg,
// Inkscape, image viewers) do not render, and the PNG drawn from it came out blank.
// Geometry follows the canvas: BlockNode's sizes, handles at the bottom/top centre (a
// decision's or filter's branches spread along the bottom) and React Flow's bezier edges.
import { getBezierPath, Position } from '@xyflow/react';
import { blockDef, blockSubtitle, isConditional } from './blocktypes.js';
import { branchLabels } from './conditions.js';
import { handleIndex } from './soar.js';
import { blockBox } from './geometry.js';

export const BACKGROUND = '#f6f8fb';
export const PADDING = 40;
const EDGE = '#8793a6';
const TAKEN = '#2e9e5b';
const BORDER = '#cfd6e1';
const TEXT = '#1f2733';
const MUTED = '#6b7585';
const ICON_W = 34;
const FONT = "'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif";

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v) => String(Math.round(v * 100) / 100);

function isTerminal(d) {
  return d.type === 'start' || d.type === 'end';
}

/** The point an edge leaves `node` from: its branch handle or the bottom centre. */
function sourcePoint(node, handle) {
  const b = blockBox(node);
  const d = node.data.soar.data || {};
  const i = handleIndex(handle);
  if (i !== null && isConditional(d.type)) {
    const n = (d.conditions || []).length || 1;
    return { x: b.x + (b.w * (i + 1)) / (n + 1), y: b.y + b.h };
  }
  return { x: b.x + b.w / 2, y: b.y + b.h };
}

/** Bounds of all blocks (branch labels hang ~22 px below conditional blocks). */
export function pictureBounds(nodes) {
  if (!nodes.length) return { x: 0, y: 0, width: 0, height: 0 };
  let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
  for (const n of nodes) {
    const b = blockBox(n);
    x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w); y1 = Math.max(y1, b.y + b.h + (isConditional(n.data.soar.data?.type) ? 24 : 0));
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Cut `text` to about `max` characters, with an ellipsis. */
function fit(text, max) {
  const s = String(text ?? '');
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** Up to two lines of at most `max` characters, broken after `_`, space or `-` when possible. */
function wrap2(text, max) {
  const s = String(text ?? '');
  if (s.length <= max) return [s];
  let cut = -1;
  for (let i = Math.min(max, s.length - 1); i > max / 2; i -= 1) if (/[_\s-]/.test(s[i - 1])) { cut = i; break; }
  if (cut < 0) cut = max;
  return [s.slice(0, cut).trimEnd(), fit(s.slice(cut).trimStart(), max)];
}

function blockSvg(node) {
  const d = node.data.soar.data || {};
  const def = blockDef(d);
  const { x, y, w, h } = blockBox(node);
  const id = esc(d.functionName || node.id);
  if (isTerminal(d)) {
    const label = d.type === 'start' ? 'Start' : 'End';
    return `<g data-block="${id}"><rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="${num(h / 2)}" fill="${def.color}"/>`
      + `<text x="${num(x + w / 2)}" y="${num(y + h / 2 + 4.5)}" text-anchor="middle" font-family="${FONT}" font-size="13" font-weight="700" fill="#fff">${esc(label)}</text></g>`;
  }
  const title = (d.advanced?.customName || '').trim() || d.functionName || '';
  const chars = Math.max(4, Math.floor((w - ICON_W - 14) / 7.1));
  const lines = wrap2(title, chars);
  const sub = fit(blockSubtitle(d), Math.floor((w - ICON_W - 14) / 6.1));
  const textX = x + ICON_W + 9;
  const top = y + h / 2 - (lines.length === 2 ? 13 : 6);
  const parts = [
    `<g data-block="${id}">`,
    `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="8" fill="#fff" stroke="${BORDER}"/>`,
    // The coloured band on the left: a rounded rect, squared off on its right side.
    `<rect x="${num(x)}" y="${num(y)}" width="${ICON_W}" height="${num(h)}" rx="7" fill="${def.color}"/>`,
    `<rect x="${num(x + ICON_W - 8)}" y="${num(y)}" width="8" height="${num(h)}" fill="${def.color}"/>`,
    `<text x="${num(x + ICON_W / 2)}" y="${num(y + h / 2 + 5)}" text-anchor="middle" font-family="${FONT}" font-size="14" font-weight="700" fill="#fff">${esc(def.icon)}</text>`,
    ...lines.map((line, i) => `<text x="${num(textX)}" y="${num(top + i * 15.5)}" font-family="${FONT}" font-size="12.5" font-weight="600" fill="${TEXT}">${esc(line)}</text>`),
    `<text x="${num(textX)}" y="${num(top + lines.length * 15.5 + 1)}" font-family="${FONT}" font-size="11" fill="${MUTED}">${esc(sub)}</text>`,
  ];
  if (isConditional(d.type)) {
    const labels = branchLabels(d);
    labels.forEach((label, i) => {
      const cx = x + (w * (i + 1)) / (labels.length + 1);
      const text = label === 'else' ? 'else' : String(i + 1);
      const lw = 10 + text.length * 6;
      parts.push(`<rect x="${num(cx - lw / 2)}" y="${num(y + h + 8)}" width="${num(lw)}" height="14" rx="7" fill="#fff" stroke="${def.color}"/>`,
        `<text x="${num(cx)}" y="${num(y + h + 18.5)}" text-anchor="middle" font-family="${FONT}" font-size="10" font-weight="700" fill="${def.color}">${esc(text)}</text>`);
    });
  }
  parts.push('</g>');
  return parts.join('');
}

function edgeSvg(edge, byId) {
  const src = byId.get(edge.source);
  const tgt = byId.get(edge.target);
  if (!src || !tgt) return '';
  const s = sourcePoint(src, edge.sourceHandle);
  const tb = blockBox(tgt);
  const [path] = getBezierPath({ sourceX: s.x, sourceY: s.y, sourcePosition: Position.Bottom,
    targetX: tb.x + tb.w / 2, targetY: tb.y, targetPosition: Position.Top });
  const run = edge.data?.run;
  const stroke = run?.taken ? TAKEN : edge.style?.stroke || EDGE;
  const width = run?.taken ? 3 : edge.style?.strokeWidth || 1.6;
  const dash = run && !run.taken ? ' stroke-dasharray="5 4"' : '';
  return `<path d="${path}" fill="none" stroke="${stroke}" stroke-width="${width}"${dash}/>`;
}

/**
 * The SVG text of a playbook picture, with its size and where flow coordinates land in it:
 * a block at flow (x, y) is drawn at ((x - origin.x) * scale, (y - origin.y) * scale).
 * `maxSide` caps the picture's larger side (the whole picture is scaled down to fit).
 */
export function buildSvg(nodes, edges, { maxSide = 6000, background = BACKGROUND } = {}) {
  const b = pictureBounds(nodes);
  const scale = Math.min(1, maxSide / Math.max(b.width + 2 * PADDING, b.height + 2 * PADDING, 1));
  const origin = { x: b.x - PADDING, y: b.y - PADDING };
  const width = Math.ceil((b.width + 2 * PADDING) * scale);
  const height = Math.ceil((b.height + 2 * PADDING) * scale);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="${background}"/>`,
    `<g transform="scale(${num(scale)}) translate(${num(-origin.x)} ${num(-origin.y)})">`,
    `<g class="edges">${edges.map((e) => edgeSvg(e, byId)).join('')}</g>`,
    `<g class="blocks">${nodes.map(blockSvg).join('')}</g>`,
    '</g></svg>',
  ].join('');
  return { svg, width, height, scale, origin };
}
