// Product-like studio shots for the mark tests: a package (box, bottle, can or bag) with a gradient, label
// bands, printed text and some photographic grain, on flat white (JPEG) or on transparency (PNG cut-out).
import sharp from 'sharp';

export interface ProductShot {
  jpeg: Buffer;
  png: Buffer;
  cutout: Buffer;
  width: number;
  height: number;
}

/** A seeded xorshift32 generator in [0, 1): the same numbers on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

const PALETTE = [
  '#c0392b',
  '#1f6fb2',
  '#27ae60',
  '#f1c40f',
  '#8e44ad',
  '#d35400',
  '#2c3e50',
  '#16a085',
  '#e84393',
  '#6d4c41',
];

function svgOf(seed: number, w: number, h: number, background: boolean): string {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const c1 = pick(PALETTE),
    c2 = pick(PALETTE),
    c3 = pick(PALETTE);
  const kind = Math.floor(r() * 4);
  const cx = w / 2,
    cy = h / 2;
  const bw = w * (0.45 + r() * 0.2),
    bh = h * (0.6 + r() * 0.2);
  const x0 = cx - bw / 2,
    y0 = cy - bh / 2;
  const body =
    kind === 0
      ? `<rect x="${x0}" y="${y0}" width="${bw}" height="${bh}" rx="${w * 0.01}" fill="url(#g)"/>`
      : kind === 1
        ? `<path d="M${cx - bw * 0.15},${y0} h${bw * 0.3} v${bh * 0.15} q${bw * 0.35},${bh * 0.05} ${bw * 0.35},${bh * 0.2} v${bh * 0.62} q0,${bh * 0.03} -${bw * 0.03},${bh * 0.03} h-${bw * 0.94} q-${bw * 0.03},0 -${bw * 0.03},-${bh * 0.03} v-${bh * 0.62} q0,-${bh * 0.15} ${bw * 0.35},-${bh * 0.2} z" fill="url(#g)"/>`
        : kind === 2
          ? `<rect x="${x0 + bw * 0.1}" y="${y0}" width="${bw * 0.8}" height="${bh}" rx="${bw * 0.08}" fill="url(#g)"/>`
          : `<path d="M${x0},${y0 + bh * 0.05} q${bw / 2},-${bh * 0.08} ${bw},0 l-${bw * 0.05},${bh * 0.95} h-${bw * 0.9} z" fill="url(#g)"/>`;
  const words = [
    'KOSHER',
    'CRACKERS',
    'GRAPE JUICE',
    'TEHINA',
    'HUMMUS',
    'MATZAH',
    'COOKIES',
    'OLIVE OIL',
    'PASTA',
    'HONEY',
  ];
  const fs = Math.round(w * 0.05);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${c1}"/><stop offset="1" stop-color="${c2}"/></linearGradient></defs>
  ${background ? `<rect width="${w}" height="${h}" fill="#ffffff"/><ellipse cx="${cx}" cy="${y0 + bh + h * 0.02}" rx="${bw * 0.5}" ry="${h * 0.02}" fill="#e8e8e8"/>` : ''}
  ${body}
  <rect x="${x0 + bw * 0.1}" y="${y0 + bh * 0.35}" width="${bw * 0.8}" height="${bh * 0.3}" fill="#fdf6e3" opacity="0.92"/>
  <rect x="${x0 + bw * 0.1}" y="${y0 + bh * 0.35 + bh * 0.26}" width="${bw * 0.8}" height="${bh * 0.04}" fill="${c3}"/>
  <text x="${cx}" y="${y0 + bh * 0.47}" font-family="sans-serif" font-weight="bold" font-size="${fs}" text-anchor="middle" fill="${c3}">${pick(words)}</text>
  <text x="${cx}" y="${y0 + bh * 0.55}" font-family="serif" font-size="${Math.round(fs * 0.55)}" text-anchor="middle" fill="#333">${pick(words).toLowerCase()} · ${Math.floor(r() * 900 + 100)} g</text>
  <circle cx="${x0 + bw * 0.8}" cy="${y0 + bh * 0.2}" r="${w * 0.035}" fill="#fff" stroke="#222" stroke-width="${w * 0.004}"/>
  <text x="${x0 + bw * 0.8}" y="${y0 + bh * 0.2 + fs * 0.25}" font-family="sans-serif" font-size="${Math.round(fs * 0.6)}" text-anchor="middle" fill="#222">U</text>
</svg>`;
}

/**
 * Photographic grain: Gaussian noise (mean 128, σ 24 per channel) from the seeded generator, softened by a
 * 0.8 px blur; raw RGB. libvips' own noise generator (sharp's `create.noise`) reseeds itself on every call, so
 * it would make every shot, and every result measured on it, differ from run to run.
 */
async function grainOf(seed: number, width: number, height: number): Promise<Buffer> {
  const r = rng((Math.imul(seed, 2654435761) ^ 0x5f3759df) >>> 0);
  const noise = Buffer.alloc(width * height * 3);
  for (let i = 0; i < noise.length; i += 2) {
    // Box-Muller: two independent standard normals per pair of uniforms.
    const m = Math.sqrt(-2 * Math.log(r() || 2 ** -32)),
      a = 2 * Math.PI * r();
    noise[i] = Math.max(0, Math.min(255, Math.round(128 + 24 * m * Math.cos(a))));
    if (i + 1 < noise.length) noise[i + 1] = Math.max(0, Math.min(255, Math.round(128 + 24 * m * Math.sin(a))));
  }
  return sharp(noise, { raw: { width, height, channels: 3 } })
    .blur(0.8)
    .raw()
    .toBuffer();
}

/** Deterministic per seed (the same bytes on every run). Default 1000×1000; `height` for other aspects. */
export async function productShot(seed: number, width = 1000, height = width): Promise<ProductShot> {
  const grain = await grainOf(seed, width, height);
  const mk = async (background: boolean) => {
    const base = sharp(Buffer.from(svgOf(seed, width, height, background)));
    // Grain only on the package (soft-light over the shape), the studio white stays flat.
    const { data, info } = await base.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const g = grain;
    for (let i = 0, p = 0; i < data.length; i += 4, p += 3) {
      const lum = (data[i] + data[i + 1] + data[i + 2]) / 3;
      if (data[i + 3] === 0 || lum > 250) continue;
      for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, data[i + c] + (g[p + c] - 128) * 0.35));
    }
    return { data, info };
  };
  const withBg = await mk(true);
  const rgb = sharp(withBg.data, { raw: { width, height, channels: 4 } }).removeAlpha();
  const cut = await mk(false);
  return {
    jpeg: await rgb.clone().jpeg({ quality: 92 }).toBuffer(),
    png: await rgb.clone().png().toBuffer(),
    cutout: await sharp(cut.data, { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer(),
    width,
    height,
  };
}
