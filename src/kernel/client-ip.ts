// The client IP: the socket address, unless the socket peer is a trusted proxy (TRUSTED_PROXIES CIDRs),
// in which case X-Forwarded-For is walked from the right, skipping trusted hops.
import net from 'node:net';

export class ClientIpResolver {
  private readonly trusted = new net.BlockList();
  private readonly any: boolean;

  constructor(cidrs: string[]) {
    for (const c of cidrs) {
      const [addr, bits] = c.split('/');
      const type = net.isIPv6(addr) ? 'ipv6' : 'ipv4';
      if (!net.isIP(addr)) throw new Error(`TRUSTED_PROXIES: not an IP or CIDR: ${c}`);
      if (bits === undefined) this.trusted.addAddress(addr, type);
      else this.trusted.addSubnet(addr, Number(bits), type);
    }
    this.any = cidrs.length > 0;
  }

  private isTrusted(ip: string): boolean {
    if (!this.any || !net.isIP(ip)) return false;
    return this.trusted.check(ip, net.isIPv6(ip) ? 'ipv6' : 'ipv4');
  }

  resolve(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
    let ip = normalizeIp(socketAddress ?? '');
    if (!this.isTrusted(ip) || !forwardedFor) return ip;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((h) => normalizeIp(h.trim()))
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      if (!net.isIP(hops[i])) return ip; // garbage in the header: stop at the last hop we could trust
      ip = hops[i];
      if (!this.isTrusted(ip)) return ip;
    }
    return ip;
  }
}

/** IPv4-mapped IPv6 (::ffff:1.2.3.4) to plain IPv4, so allowlists and URL bindings compare equal. */
export function normalizeIp(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}
