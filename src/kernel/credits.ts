// Credits are exact: integers of 1/10,000 credit (bigint) everywhere inside; rendered as JSON numbers
// with no binary noise at the edge. A bigint below 2^53 divided by 10^4 gives the double nearest the
// decimal, which JSON prints as the shortest round-tripping text: 2.6, never 2.6000000000000001.

export const UNITS_PER_CREDIT = 10_000n;

export type Units = bigint;

/** 26000n -> 2.6 */
export function unitsToNumber(units: Units): number {
  return Number(units) / 10_000;
}

/** 26000n -> "2.6" (headers) */
export function unitsToString(units: Units): string {
  return String(unitsToNumber(units));
}

/**
 * Parses a client- or admin-supplied credit amount ("2.6", 2.6, "10") into units. Rejects more than four
 * decimals, exponents, and anything that is not a finite decimal. Returns null when invalid.
 */
export function parseCredits(input: unknown): Units | null {
  let s: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    s = String(input);
  } else if (typeof input === 'string') s = input.trim();
  else return null;
  const m = /^(-?)(\d{1,12})(?:\.(\d{1,4}))?$/.exec(s);
  if (!m) return null;
  const units = BigInt(m[2]) * UNITS_PER_CREDIT + BigInt((m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -units : units;
}
