// The photo date of an upload, from its EXIF DateTimeOriginal (tag 0x9003 in the Exif sub-IFD). A tiny
// TIFF reader rather than a dependency: one tag, bounds-checked, and any oddity simply yields null.

import { isCalendarDate } from '../../kernel/input.ts';

/** `exif`: the raw EXIF block as sharp's metadata() returns it ("Exif\0\0" + TIFF). Returns YYYY-MM-DD or null. */
export function readExifDateTimeOriginal(exif: Buffer): string | null {
  try {
    let base = 0;
    if (exif.subarray(0, 6).toString('latin1') === 'Exif\0\0') base = 6;
    const order = exif.subarray(base, base + 2).toString('latin1');
    if (order !== 'II' && order !== 'MM') return null;
    const le = order === 'II';
    const u16 = (o: number) => (le ? exif.readUInt16LE(base + o) : exif.readUInt16BE(base + o));
    const u32 = (o: number) => (le ? exif.readUInt32LE(base + o) : exif.readUInt32BE(base + o));
    const findTag = (ifd: number, tag: number): number | null => {
      const n = u16(ifd);
      for (let i = 0; i < n && i < 512; i++) {
        const e = ifd + 2 + i * 12;
        if (u16(e) === tag) return e;
      }
      return null;
    };
    const ifd0 = u32(4);
    const exifPtr = findTag(ifd0, 0x8769);
    if (exifPtr === null) return null;
    const entry = findTag(u32(exifPtr + 8), 0x9003);
    if (entry === null) return null;
    const count = u32(entry + 4);
    const at = count > 4 ? u32(entry + 8) : entry + 8;
    const text = exif.subarray(base + at, base + at + Math.min(count, 32)).toString('latin1');
    const m = /^(\d{4}):(\d{2}):(\d{2})/.exec(text);
    if (!m || m[1] === '0000') return null;
    const iso = `${m[1]}-${m[2]}-${m[3]}`;
    // The bytes are the uploader's: 2026:02:31 or 0001:01:01 is no date PostgreSQL should be handed.
    return isCalendarDate(iso) ? iso : null;
  } catch {
    return null;
  }
}
