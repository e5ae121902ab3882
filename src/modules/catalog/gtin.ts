// GS1 barcode rules: GTIN-8, UPC-A (GTIN-12), EAN-13 and GTIN-14, the mod-10 check digit, and the
// GTIN-14 normal form that the catalog is keyed by. Pure functions; no I/O.

export type GtinResult = { ok: true; gtin14: string } | { ok: false; reason: 'format' | 'check_digit' };

/** The GS1 mod-10 check digit for the digits before it (any length).  @internal Exported for its tests. */
export function checkDigit(body: string): number {
  let sum = 0;
  // Weights 3,1,3,1… starting from the rightmost digit of the body.
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (body.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit is the correct check digit of the others. */
function hasValidCheckDigit(digits: string): boolean {
  return checkDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/**
 * Validates a barcode as clients send it: 8–14 ASCII digits with a correct check digit. Zero-padding to
 * 14 digits does not change the check digit, so every length is checked as its GTIN-14 form.
 */
export function parseBarcode(input: string): GtinResult {
  if (!/^[0-9]{8,14}$/.test(input)) return { ok: false, reason: 'format' };
  const gtin14 = input.padStart(14, '0');
  if (!hasValidCheckDigit(gtin14)) return { ok: false, reason: 'check_digit' };
  return { ok: true, gtin14 };
}

/** GTIN-14 normal form, or null when invalid. */
export function toGtin14(input: string): string | null {
  const r = parseBarcode(input);
  return r.ok ? r.gtin14 : null;
}

/**
 * The shortest standard form of a GTIN-14 for display: GTIN-8 when it fits in 8 digits, else UPC-A (12),
 * EAN-13 (13), or the full 14. The catalog stores the printed form separately; this is for inputs without one.
 * @internal Exported for its tests.
 */
export function displayForm(gtin14: string): string {
  const stripped = gtin14.replace(/^0+/, '');
  for (const len of [8, 12, 13, 14]) if (stripped.length <= len) return gtin14.slice(14 - len);
  return gtin14;
}

/** Appends the check digit to a body of 7, 11, 12 or 13 digits. Used by the catalog generator and tests. */
export function withCheckDigit(body: string): string {
  return body + String(checkDigit(body));
}
