// The Free tier's visible watermark: a semi-transparent diagonal text band repeated over the picture, as an
// SVG sized to the output (composited by media.ts). Deterministic, so a watermarked rendition is cacheable.

const WATERMARK_TEXT = 'SAMPLE · FREE TIER';

export function watermarkSvg(width: number, height: number, text = WATERMARK_TEXT): Buffer {
  const fontSize = Math.max(12, Math.round(Math.min(width, height) / 12));
  const step = fontSize * 4;
  const diag = Math.ceil(Math.hypot(width, height));
  const rows: string[] = [];
  for (let y = -diag; y < diag; y += step) {
    rows.push(
      `<text x="${-diag}" y="${y}" font-size="${fontSize}">${`${text}  `.repeat(Math.ceil((2 * diag) / (fontSize * text.length * 0.6)) + 1)}</text>`,
    );
  }
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <g transform="translate(${width / 2} ${height / 2}) rotate(-30)" font-family="sans-serif" font-weight="bold"
     fill="#ffffff" fill-opacity="0.45" stroke="#000000" stroke-opacity="0.35" stroke-width="${Math.max(1, fontSize / 24)}">
    ${rows.join('\n    ')}
  </g></svg>`);
}
