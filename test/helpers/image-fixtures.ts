// Pictures generated with sharp, and the admin image upload (PUT /admin/v1/products/{barcode}/images/{variant}).
import sharp from 'sharp';

/** A picture with structure (so resizes and encoders have something to do). */
export async function picture(
  w: number,
  h: number,
  format: 'jpeg' | 'png',
  opts: { alpha?: boolean; exif?: boolean; orientation?: number } = {},
): Promise<Buffer> {
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <rect width="100%" height="100%" fill="${opts.alpha ? 'none' : '#f4f4f4'}"/>
    <circle cx="${w / 2}" cy="${h / 2}" r="${Math.min(w, h) / 3}" fill="#2a6fb0"/>
    <rect x="${w / 10}" y="${h / 10}" width="${w / 4}" height="${h / 5}" fill="#d04020"/></svg>`);
  let img = sharp(svg);
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  if (opts.exif)
    img = img.withExif({
      IFD0: { Make: 'TestCam' },
      IFD2: { DateTimeOriginal: '2024:05:06 10:11:12' },
      IFD3: { GPSLatitudeRef: 'N' },
    });
  return format === 'png'
    ? img.png().toBuffer()
    : img.flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
}

export async function putImage(
  url: string,
  adminToken: string,
  barcode: string,
  variant: string,
  bytes: Buffer,
  contentType: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${url}/admin/v1/products/${barcode}/images/${variant}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': contentType, ...headers },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
