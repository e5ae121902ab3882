// What the mark says: the client's number (20 bits, ~1M clients), a 12-bit tag of the grant (the signed-URL
// issue it came from; 0 = none; enough to pick the grant among one client's grants of one product), and a
// CRC-16 so a noisy or absent mark decodes to "nothing" rather than to somebody else.
import { createHash } from 'node:crypto';

const CLIENT_BITS = 20;
const GRANT_BITS = 12;
const CRC_BITS = 16;
export const PAYLOAD_BITS = CLIENT_BITS + GRANT_BITS + CRC_BITS;
/** @internal Exported for its tests. */
export const MAX_CLIENT_NUMBER = 2 ** CLIENT_BITS - 1;

export interface MarkPayload {
  /** 0 … 2^20 − 1: the client's small integer number (not its public client_id). */
  clientNumber: number;
  /** Optional grant id; only a 12-bit tag of it travels (see grantTagOf). */
  grantId?: number | bigint | string;
}

export interface DecodedPayload {
  clientNumber: number;
  /** grant id mod 4096, or null when the mark was made without a grant. */
  grantTag: number | null;
}

// Tag 0 is reserved for "no grant": real grants map to 1…4095. String ids (grt_<ulid>) are hashed first.
export function grantTagOf(grantId: number | bigint | string): number {
  const g =
    typeof grantId === 'string'
      ? BigInt('0x' + createHash('sha256').update(grantId).digest('hex').slice(0, 12))
      : BigInt(grantId);
  return Number(((g % 4095n) + 4095n) % 4095n) + 1;
}

/**
 * A client's mark number derived from its public client_id (20 bits of SHA-256), so the delivery path needs
 * no lookup. Identification maps a number back through a directory of client ids (see mark-identifier.ts);
 * two clients share a number with probability clients/2^20 — the grant log settles such a tie.
 */
export function markNumberOf(clientId: string): number {
  return createHash('sha256').update(`kc-mark-client|${clientId}`).digest().readUInt32BE(0) >>> (32 - CLIENT_BITS);
}

/** CRC-16/CCITT-FALSE over the 32 data bits. */
function crc16(data: number): number {
  let crc = 0xffff;
  for (let byte = 3; byte >= 0; byte--) {
    crc ^= ((data >>> (byte * 8)) & 0xff) << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** Payload → PAYLOAD_BITS values of ±1. */
export function encodePayload(p: MarkPayload): Int8Array {
  if (!Number.isInteger(p.clientNumber) || p.clientNumber < 0 || p.clientNumber > MAX_CLIENT_NUMBER) {
    throw new RangeError(`clientNumber must be an integer in 0..${MAX_CLIENT_NUMBER}`);
  }
  const tag = p.grantId === undefined ? 0 : grantTagOf(p.grantId);
  const data = ((p.clientNumber << GRANT_BITS) | tag) >>> 0;
  const crc = crc16(data);
  const out = new Int8Array(PAYLOAD_BITS);
  for (let i = 0; i < 32; i++) out[i] = (data >>> (31 - i)) & 1 ? 1 : -1;
  for (let i = 0; i < CRC_BITS; i++) out[32 + i] = (crc >>> (CRC_BITS - 1 - i)) & 1 ? 1 : -1;
  return out;
}

/** Hard bits (sign) → payload, or null when the CRC does not match. */
export function decodePayload(signs: ArrayLike<number>): DecodedPayload | null {
  let data = 0;
  for (let i = 0; i < 32; i++) data = ((data << 1) | (signs[i] > 0 ? 1 : 0)) >>> 0;
  let crc = 0;
  for (let i = 0; i < CRC_BITS; i++) crc = (crc << 1) | (signs[32 + i] > 0 ? 1 : 0);
  if (crc16(data) !== crc) return null;
  const tag = data & (2 ** GRANT_BITS - 1);
  return { clientNumber: data >>> GRANT_BITS, grantTag: tag === 0 ? null : tag };
}
