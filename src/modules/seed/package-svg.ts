// Simple synthetic package drawings as SVG: a silhouette per packaging shape, a label with the brand,
// and a back panel with a Nutrition Facts box, ingredient lines and a barcode. Pure string building;
// images.ts rasterises them with sharp. Everything is derived from the template, so a template always
// draws the same picture (identical bytes, one blob).
import type { Shape } from './catalog-data.ts';
import type { ImageTemplate } from './generator.ts';
import { fnv1a } from './random.ts';

export interface Canvas {
  width: number;
  height: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The canvas size of a template: about 1000 px, varying between 900 and 1200 per template. */
export function canvasOf(t: ImageTemplate): Canvas {
  const h = fnv1a(t.key);
  return { width: 900 + (h % 31) * 10, height: 900 + ((h >>> 8) % 31) * 10 };
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The package outline and the rectangle inside it where the label goes. */
function silhouette(shape: Shape, c: Canvas, fill: string, dark: string): { svg: string; label: Box } {
  const cx = c.width / 2;
  const stroke = `stroke="${dark}" stroke-width="6"`;
  const portrait = (wf: number, hf: number): Box => {
    const w = c.width * wf,
      h = c.height * hf;
    return { x: cx - w / 2, y: (c.height - h) / 2, w, h };
  };
  switch (shape) {
    case 'bottle': {
      const b = portrait(0.34, 0.8);
      const neckW = b.w * 0.36,
        shoulder = b.y + b.h * 0.26;
      const d =
        `M${cx - neckW / 2},${b.y + b.h * 0.06} L${cx - neckW / 2},${b.y + b.h * 0.16} Q${b.x},${b.y + b.h * 0.2} ${b.x},${shoulder}` +
        ` L${b.x},${b.y + b.h - 20} Q${b.x},${b.y + b.h} ${b.x + 20},${b.y + b.h} L${b.x + b.w - 20},${b.y + b.h}` +
        ` Q${b.x + b.w},${b.y + b.h} ${b.x + b.w},${b.y + b.h - 20} L${b.x + b.w},${shoulder}` +
        ` Q${b.x + b.w},${b.y + b.h * 0.2} ${cx + neckW / 2},${b.y + b.h * 0.16} L${cx + neckW / 2},${b.y + b.h * 0.06} Z`;
      const cap = `<rect x="${cx - neckW / 2 - 4}" y="${b.y}" width="${neckW + 8}" height="${b.h * 0.07}" rx="6" fill="${dark}"/>`;
      return {
        svg: `<path d="${d}" fill="${fill}" ${stroke}/>${cap}`,
        label: { x: b.x + 12, y: b.y + b.h * 0.42, w: b.w - 24, h: b.h * 0.36 },
      };
    }
    case 'can': {
      const b = portrait(0.5, 0.66),
        ry = b.w * 0.1;
      return {
        svg:
          `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" fill="${fill}" ${stroke}/>` +
          `<ellipse cx="${cx}" cy="${b.y}" rx="${b.w / 2}" ry="${ry}" fill="#c9ccd1" ${stroke}/>` +
          `<path d="M${b.x},${b.y + b.h} A${b.w / 2},${ry} 0 0 0 ${b.x + b.w},${b.y + b.h}" fill="${fill}" ${stroke}/>`,
        label: { x: b.x + 16, y: b.y + b.h * 0.22, w: b.w - 32, h: b.h * 0.56 },
      };
    }
    case 'jar':
    case 'tub': {
      const b = portrait(shape === 'jar' ? 0.5 : 0.62, shape === 'jar' ? 0.7 : 0.5);
      const lidH = b.h * 0.14,
        inset = shape === 'tub' ? b.w * 0.08 : 0;
      const body = `M${b.x},${b.y + lidH} L${b.x + b.w},${b.y + lidH} L${b.x + b.w - inset},${b.y + b.h} L${b.x + inset},${b.y + b.h} Z`;
      return {
        svg:
          `<path d="${body}" fill="${fill}" ${stroke} stroke-linejoin="round"/>` +
          `<rect x="${b.x - 8}" y="${b.y}" width="${b.w + 16}" height="${lidH}" rx="10" fill="${dark}"/>`,
        label: { x: b.x + inset + 16, y: b.y + lidH + b.h * 0.12, w: b.w - 2 * inset - 32, h: b.h * 0.55 },
      };
    }
    case 'tray': {
      const w = c.width * 0.76,
        h = c.height * 0.42,
        x = cx - w / 2,
        y = (c.height - h) / 2;
      return {
        svg:
          `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="28" fill="${fill}" ${stroke}/>` +
          `<rect x="${x + 24}" y="${y + 24}" width="${w - 48}" height="${h - 48}" rx="18" fill="#ffffff" fill-opacity="0.25"/>`,
        label: { x: x + w * 0.12, y: y + h * 0.2, w: w * 0.76, h: h * 0.6 },
      };
    }
    case 'bag': {
      const b = portrait(0.6, 0.8),
        teeth = 14,
        tw = b.w / teeth;
      let zig = `M${b.x},${b.y + 12}`;
      for (let i = 0; i < teeth; i++) zig += ` L${b.x + tw * (i + 0.5)},${b.y} L${b.x + tw * (i + 1)},${b.y + 12}`;
      zig += ` L${b.x + b.w},${b.y + b.h - 12}`;
      for (let i = teeth; i > 0; i--)
        zig += ` L${b.x + tw * (i - 0.5)},${b.y + b.h} L${b.x + tw * (i - 1)},${b.y + b.h - 12}`;
      return {
        svg: `<path d="${zig} Z" fill="${fill}" ${stroke} stroke-linejoin="round"/>`,
        label: { x: b.x + 30, y: b.y + b.h * 0.3, w: b.w - 60, h: b.h * 0.4 },
      };
    }
    default: {
      const b = portrait(0.56, 0.78);
      return {
        svg:
          `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="10" fill="${fill}" ${stroke}/>` +
          `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h * 0.08}" rx="10" fill="${dark}" fill-opacity="0.35"/>`,
        label: { x: b.x + 28, y: b.y + b.h * 0.25, w: b.w - 56, h: b.h * 0.5 },
      };
    }
  }
}

/** A darker shade of a #rrggbb colour, for outlines and lids. */
function darken(hex: string, f = 0.6): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = (s: number) =>
    Math.round(((n >> s) & 255) * f)
      .toString(16)
      .padStart(2, '0');
  return `#${ch(16)}${ch(8)}${ch(0)}`;
}

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
}

function text(x: number, y: number, s: string, size: number, fill: string, weight = 'normal'): string {
  return `<text x="${x}" y="${y}" font-family="DejaVu Sans, sans-serif" font-size="${size.toFixed(1)}" font-weight="${weight}" text-anchor="middle" fill="${fill}">${esc(s)}</text>`;
}

/** Font size that fits `s` into `width` (DejaVu Sans averages about 0.62 em per glyph). */
const fit = (s: string, width: number, max: number) => Math.min(max, width / (0.62 * Math.max(s.length, 1)));

function frontLabel(t: ImageTemplate, l: Box, ink: string, paper: string): string {
  const cx = l.x + l.w / 2;
  const brandSize = fit(t.brand, l.w * 0.9, l.h * 0.22);
  const parts = [`<rect x="${l.x}" y="${l.y}" width="${l.w}" height="${l.h}" rx="16" fill="${paper}"/>`];
  // Three looks per brand and category: a stripe, a circle emblem, or a diagonal band.
  if (t.style === 0)
    parts.push(
      `<rect x="${l.x}" y="${l.y + l.h * 0.78}" width="${l.w}" height="${l.h * 0.1}" fill="${ink}" fill-opacity="0.8"/>`,
    );
  if (t.style === 1)
    parts.push(
      `<circle cx="${l.x + l.w / 2}" cy="${l.y + l.h * 0.87}" r="${l.h * 0.08}" fill="${ink}" fill-opacity="0.7"/>`,
    );
  if (t.style === 2)
    parts.push(
      `<path d="M${l.x},${l.y + l.h * 0.96} L${l.x + l.w},${l.y + l.h * 0.8} L${l.x + l.w},${l.y + l.h * 0.9} L${l.x},${l.y + l.h}" fill="${ink}" fill-opacity="0.6"/>`,
    );
  parts.push(text(cx, l.y + l.h * 0.34, t.brand, brandSize, ink, 'bold'));
  if (t.brandHe) parts.push(text(cx, l.y + l.h * 0.52, t.brandHe, fit(t.brandHe, l.w * 0.8, l.h * 0.16), ink, 'bold'));
  const label = t.labelHe ? `${t.label} · ${t.labelHe}` : t.label;
  const sub = luminance(paper) < 0.4 ? '#eeeeee' : '#333333';
  parts.push(text(cx, l.y + l.h * (t.brandHe ? 0.7 : 0.58), label, fit(label, l.w * 0.85, l.h * 0.12), sub));
  return parts.join('');
}

function backLabel(t: ImageTemplate, l: Box): string {
  const parts = [`<rect x="${l.x}" y="${l.y}" width="${l.w}" height="${l.h}" rx="10" fill="#ffffff"/>`];
  // Nutrition Facts panel: a title, thick rules and rows, on the left half.
  const nx = l.x + l.w * 0.05,
    nw = l.w * 0.45,
    ny = l.y + l.h * 0.06,
    nh = l.h * 0.88;
  parts.push(`<rect x="${nx}" y="${ny}" width="${nw}" height="${nh}" fill="none" stroke="#000" stroke-width="2"/>`);
  parts.push(
    `<text x="${nx + 6}" y="${ny + nh * 0.1}" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="${fit('Nutrition Facts', nw - 12, nh * 0.09).toFixed(1)}">Nutrition Facts</text>`,
  );
  const rows = 9;
  for (let i = 0; i < rows; i++) {
    const y = ny + nh * (0.18 + (0.78 * i) / rows);
    parts.push(`<rect x="${nx + 6}" y="${y}" width="${nw - 12}" height="${i === 0 || i === 3 ? 6 : 2}" fill="#000"/>`);
    parts.push(
      `<rect x="${nx + 8}" y="${y + 10}" width="${(nw - 16) * (0.3 + (fnv1a(t.key + i) % 50) / 100)}" height="${Math.max(4, nh * 0.025)}" fill="#777"/>`,
    );
  }
  // Ingredient lines and a barcode on the right half.
  const rx = l.x + l.w * 0.55,
    rw = l.w * 0.4;
  for (let i = 0; i < 6; i++) {
    parts.push(
      `<rect x="${rx}" y="${l.y + l.h * (0.1 + i * 0.07)}" width="${rw * (i === 5 ? 0.5 : 0.95)}" height="${Math.max(4, l.h * 0.025)}" fill="#999"/>`,
    );
  }
  let bx = rx;
  const by = l.y + l.h * 0.62,
    bh = l.h * 0.28,
    h = fnv1a(t.key);
  for (let i = 0; bx < rx + rw - 6; i++) {
    const w = 2 + ((h >>> (i % 28)) & 3) * 1.5;
    if (i % 2 === 0) parts.push(`<rect x="${bx}" y="${by}" width="${w}" height="${bh}" fill="#000"/>`);
    bx += w + 1.5;
  }
  parts.push(text(l.x + l.w / 2, l.y + l.h * 0.99, t.brand, fit(t.brand, l.w * 0.5, l.h * 0.05), '#555555'));
  return parts.join('');
}

/**
 * The SVG of one side of the package on a transparent background: the PNG cut-out as it is, and the
 * JPEG studio shot once flattened onto white (images.ts rasterises each side only once for both).
 */
export function packageSvg(t: ImageTemplate, side: 'front' | 'back'): string {
  const c = canvasOf(t);
  const [main, accent] = t.colors;
  const dark = darken(main);
  const { svg, label } = silhouette(t.shape, c, main, dark);
  // Brand text in the package's dark shade, unless the label paper is itself dark.
  const ink = luminance(accent) < 0.4 ? '#ffffff' : dark;
  const face = side === 'front' ? frontLabel(t, label, ink, accent) : backLabel(t, label);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${c.width}" height="${c.height}" viewBox="0 0 ${c.width} ${c.height}">${svg}${face}${t.stamp ? stampSvg(t.stamp, c) : ''}</svg>`;
}

/**
 * A diagonal band across the whole picture (the sandbox catalog's "TEST", docs/test-mode.md#images): visible on
 * every rendition at every size, on the JPEG shot and on the transparent cut-out alike.
 */
function stampSvg(text: string, c: { width: number; height: number }): string {
  const size = Math.round(Math.min(c.width, c.height) / 5);
  const cx = c.width / 2;
  const cy = c.height / 2;
  const angle = (-Math.atan2(c.height, c.width) * 180) / Math.PI;
  return (
    `<g transform="rotate(${angle.toFixed(1)} ${cx} ${cy})">` +
    `<rect x="${-c.width}" y="${cy - size * 0.7}" width="${c.width * 3}" height="${size * 1.4}" fill="#c62828" fill-opacity="0.85"/>` +
    `<text x="${cx}" y="${cy + size * 0.35}" font-family="DejaVu Sans, Arial, sans-serif" font-weight="700" font-size="${size}" ` +
    `fill="#ffffff" text-anchor="middle" letter-spacing="${Math.round(size / 6)}">${text}</text></g>`
  );
}
