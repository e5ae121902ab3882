// Credits are exact: integers of 1/10,000 credit (bigint) everywhere inside, and exact decimal text at every
// edge (docs/billing.md#units-and-exactness). A double cannot hold 0.0001 steps above 2^39 credits, so
// outputs never go through a double: headers and CLIs print unitsToString, and JSON bodies carry
// `credits(units)`, which exactJson writes as a JSON number literal with the exact digits (999999999999.9999
// stays 999999999999.9999 on the wire at any size).

export const UNITS_PER_CREDIT = 10_000n;

export type Units = bigint;

/** 26000n -> 2.6 */
export function unitsToNumber(units: Units): number {
  return Number(units) / 10_000;
}

/** 26000n -> "2.6", exact at any size (integer arithmetic only). */
export function unitsToString(units: Units): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const whole = abs / UNITS_PER_CREDIT;
  const frac = (abs % UNITS_PER_CREDIT).toString().padStart(4, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Largest balance an account may hold: 10^14 credits (10^18 units, inside PostgreSQL's bigint). */
export const MAX_BALANCE_UNITS = 10n ** 18n;

// credits(...) serializes to the JSON string "\u0001credits:<digits>", and exactJson / unmarkExactJson turn
// each such string into a bare number literal. The token is fixed, so a body stored as JSON (an idempotent
// replay) unmarks the same way on any node after any restart; a client that sends such a string (an echoed
// barcode) only changes its own answer.
const TOKEN = 'credits:';
const MARKED = new RegExp(`"\\\\u0001${TOKEN}(-?\\d+(?:\\.\\d+)?)"`, 'g');

/** An exact credit amount inside a JSON body; see exactJson. */
export class ExactCredits {
  constructor(readonly units: Units) {}
  toJSON(): string {
    return `\u0001${TOKEN}${unitsToString(this.units)}`;
  }
}

export const credits = (units: Units): ExactCredits => new ExactCredits(units);

/** The marked credit strings of a serialized JSON text as bare, exact number literals. */
export function unmarkExactJson(text: string): string {
  return text.includes(TOKEN) ? text.replace(MARKED, '$1') : text;
}

/** JSON.stringify, with every credits(...) value written as an exact number literal. */
export function exactJson(value: unknown, replacer?: (key: string, v: unknown) => unknown, space?: number): string {
  return unmarkExactJson(JSON.stringify(value, replacer as never, space));
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
