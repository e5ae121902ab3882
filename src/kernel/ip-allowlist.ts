// A client's IP allowlist (CIDRs, IPv4 and IPv6) as a net.BlockList, built once per cached client row.
import net from 'node:net';
import { normalizeIp } from './client-ip.ts';

export interface IpAllowlist {
  /** True when the list is empty (any address) or contains the address. */
  allows(ip: string): boolean;
}

/** Parses `1.2.3.0/24`, `2001:db8::/32` or a bare address. Returns null when it is not one. */
export function parseCidr(text: string): { addr: string; bits: number; type: 'ipv4' | 'ipv6' } | null {
  const [rawAddr, bitsText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const addr = normalizeIp(rawAddr);
  const v = net.isIP(addr);
  if (!v) return null;
  const max = v === 4 ? 32 : 128;
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (bits > max) return null;
  return { addr, bits, type: v === 4 ? 'ipv4' : 'ipv6' };
}

export function buildAllowlist(cidrs: string[]): IpAllowlist {
  if (cidrs.length === 0) return { allows: () => true };
  const list = new net.BlockList();
  for (const c of cidrs) {
    const p = parseCidr(c);
    if (p) list.addSubnet(p.addr, p.bits, p.type);
  }
  return {
    allows(ip: string) {
      const a = normalizeIp(ip);
      const v = net.isIP(a);
      return v !== 0 && list.check(a, v === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
