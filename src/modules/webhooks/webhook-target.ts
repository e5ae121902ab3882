// Where a webhook may be sent, and the one HTTP POST that sends it (docs/webhooks.md#target-safety).
// Targets are https and public unless WEBHOOKS_ALLOW_LOCAL=1 is set explicitly: never loopback, private, link-local
// (cloud metadata), CGNAT, multicast or reserved addresses, nor an IPv6 form that reaches them. The address is
// checked when the subscription is saved and again on every connection, inside the socket's own DNS lookup, so a
// name re-pointed to 127.0.0.1 after the check (DNS rebinding) is refused at the moment it would be used. Ports
// are 443 (80 for http where http is allowed) plus WEBHOOKS_PORTS, so a subscription cannot probe a public host's
// other services. Redirects are not followed; at most 1 KB of the answer is kept, and none of an answer that came
// from a non-public address (WEBHOOKS_ALLOW_LOCAL=1).

import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import { AppError } from '../../kernel/errors.ts';

const MAX_URL_LENGTH = 2048;
const RESPONSE_EXCERPT_BYTES = 1024;
/** Bytes of an answer read before the connection is dropped (the excerpt keeps only the first KB). */
const RESPONSE_READ_LIMIT = 64 * 1024;

// Two lists: a BlockList checks an IPv4 address against IPv6 rules as ::ffff:a.b.c.d, so one list holding
// ::ffff:0:0/96 would refuse every IPv4 address.
const blocked4 = new net.BlockList();
for (const [net4, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked4.addSubnet(net4, bits, 'ipv4');
// Every IPv6 form that reaches IPv4 (and so loopback or private IPv4) or private IPv6 space is refused whole:
// IPv4-compatible ::/96 (also :: and ::1, and [::127.0.0.1]), IPv4-mapped ::ffff:0:0/96, IPv4-translated
// ::ffff:0:0:0/96 ([::ffff:0:7f00:1]), NAT64 64:ff9b::/96 and /48, 6to4 2002::/16, Teredo 2001::/32, ULA fc00::/7,
// link-local fe80::/10 (docs/webhooks.md#target-safety).
const blocked6 = new net.BlockList();
for (const [net6, bits] of [
  ['::', 96],
  ['::ffff:0:0', 96],
  ['::ffff:0:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked6.addSubnet(net6, bits, 'ipv6');

/** True for an address on the public internet (not loopback, private, link-local, metadata, reserved …).  @internal Exported for its tests. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return !blocked4.check(address, 'ipv4');
  if (family === 6) return !blocked6.check(address, 'ipv6');
  return false;
}

export interface TargetPolicy {
  /** Allow http and non-public addresses (WEBHOOKS_ALLOW_LOCAL; development and tests). */
  allowLocal: boolean;
  /** Ports allowed besides 443 (and 80 for http): WEBHOOKS_PORTS. */
  extraPorts?: readonly number[];
}

/** The port a URL connects to. */
const portOf = (u: URL) => (u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80);

/**
 * True when the URL's port is one a public target may use: 443 for https, 80 for http, or one of WEBHOOKS_PORTS.
 * Other ports are only for non-public targets under WEBHOOKS_ALLOW_LOCAL (a local receiver on a free port).
 */
function standardPort(u: URL, policy: TargetPolicy): boolean {
  const port = portOf(u);
  return port === (u.protocol === 'https:' ? 443 : 80) || (policy.extraPorts ?? []).includes(port);
}

const bad = (why: string) => new AppError('bad_request', `url: ${why}`);

/** Syntax and scheme of a target URL; returns the normalised URL or throws 400 bad_request. */
export function parseTargetUrl(raw: unknown, policy: TargetPolicy): URL {
  if (typeof raw !== 'string' || raw.trim() === '') throw bad('required, an absolute https URL.');
  if (raw.length > MAX_URL_LENGTH) throw bad(`at most ${MAX_URL_LENGTH} characters.`);
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw bad('not an absolute URL.');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw bad('must be an https URL.');
  if (u.protocol === 'http:' && !policy.allowLocal) throw bad('must be https.');
  if (u.username || u.password) throw bad('must not carry credentials; put a token in the path or query instead.');
  if (u.hash) throw bad('must not have a #fragment.');
  if (!u.hostname) throw bad('needs a host.');
  if (u.toString().length > MAX_URL_LENGTH) throw bad(`at most ${MAX_URL_LENGTH} characters.`);
  if (!policy.allowLocal && !standardPort(u, policy))
    throw bad(`port ${portOf(u)} is not allowed; use 443 (or a port the operator allows in WEBHOOKS_PORTS).`);
  return u;
}

const bareHost = (u: URL) => u.hostname.replace(/^\[(.*)\]$/, '$1');

export type Resolver = (host: string) => Promise<string[]>;
const systemResolver: Resolver = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const isLocalhostName = (host: string) =>
  host.toLowerCase() === 'localhost' || host.toLowerCase().endsWith('.localhost');

/**
 * Where the URL points: refuses a host that does not resolve, and (without allowLocal) one with any non-public
 * address. With allowLocal, a port other than the standard ones is accepted only for a host whose every address
 * is non-public (a local receiver), never as a probe of a public host. Saving a subscription calls it; the
 * delivery repeats the check per connection (guardedLookup).
 */
export async function checkTargetAddress(
  u: URL,
  policy: TargetPolicy,
  resolve: Resolver = systemResolver,
): Promise<void> {
  const host = bareHost(u);
  if (policy.allowLocal) {
    if (standardPort(u, policy) || isLocalhostName(host)) return;
    let addresses: string[];
    try {
      addresses = net.isIP(host) ? [host] : await resolve(host);
    } catch {
      throw bad(`the host ${host} does not resolve.`);
    }
    if (addresses.length === 0 || addresses.some(isPublicAddress))
      throw bad(`port ${portOf(u)} is allowed only for local targets; a public target uses 443.`);
    return;
  }
  if (isLocalhostName(host)) throw bad('must be a public address.');
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw bad(`the host ${host} does not resolve.`);
    }
  }
  if (addresses.length === 0) throw bad(`the host ${host} does not resolve.`);
  if (!addresses.every(isPublicAddress))
    throw bad('must resolve to public addresses only (no loopback, private, link-local or metadata).');
}

/**
 * A socket lookup that refuses non-public answers (the delivery-time check against DNS rebinding), or, for a
 * non-standard port under allowLocal (`localOnly`), any public answer.
 */
function guardedLookup(
  policy: TargetPolicy,
  lookup: typeof dns.lookup = dns.lookup,
  localOnly = false,
): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err);
      const list = addresses as unknown as dns.LookupAddress[];
      if (!policy.allowLocal && (list.length === 0 || !list.every((a) => isPublicAddress(a.address)))) {
        const e = Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: 'EBLOCKEDADDRESS' });
        return callback(e);
      }
      if (localOnly && (list.length === 0 || list.some((a) => isPublicAddress(a.address)))) {
        const e = Object.assign(new Error(`${hostname}: this port is allowed only for local targets`), {
          code: 'EBLOCKEDADDRESS',
        });
        return callback(e);
      }
      if (options?.all) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  }) as unknown as LookupFunction;
}

const answered = (
  status: number,
  text: string | null,
  shown: boolean,
  error: string | null,
  retryAfterSec: number | null,
): Omit<PostResult, 'latencyMs'> => ({ status, excerpt: shown ? text : null, answer: text, error, retryAfterSec });

export interface PostResult {
  /** HTTP status, or null when no answer came (connection error, timeout, refused address). */
  status: number | null;
  latencyMs: number;
  /** The first KB of the answer (text), shown to the client; null when the answer came from a non-public address. */
  excerpt: string | null;
  /** The first KB of the answer whatever its source: read by the verification handshake only, never shown. */
  answer?: string | null;
  error: string | null;
  /** Retry-After of a 429/503 answer, in seconds. */
  retryAfterSec?: number | null;
}

/** Sends one signed POST; never throws. Keeps connections alive per origin. */
export class WebhookPoster {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 });
  private readonly lookup: LookupFunction;
  private readonly localLookup: LookupFunction;

  constructor(private readonly opts: TargetPolicy & { timeoutMs: number; lookup?: typeof dns.lookup }) {
    this.lookup = guardedLookup(opts, opts.lookup);
    this.localLookup = guardedLookup(opts, opts.lookup, true);
  }

  post(url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<PostResult> {
    const started = performance.now();
    const done = (r: Omit<PostResult, 'latencyMs'>): PostResult => ({
      ...r,
      latencyMs: Math.round(performance.now() - started),
    });
    let u: URL;
    try {
      u = parseTargetUrl(url, this.opts);
    } catch (e) {
      return Promise.resolve(done({ status: null, excerpt: null, error: (e as Error).message }));
    }
    const host = bareHost(u);
    if (!this.opts.allowLocal && (isLocalhostName(host) || (net.isIP(host) && !isPublicAddress(host)))) {
      return Promise.resolve(done({ status: null, excerpt: null, error: 'the target is not a public address' }));
    }
    // A non-standard port (only accepted under allowLocal) may reach local addresses only.
    const localOnly = !standardPort(u, this.opts);
    if (localOnly && net.isIP(host) && isPublicAddress(host)) {
      return Promise.resolve(
        done({ status: null, excerpt: null, error: `port ${portOf(u)} is allowed only for local targets` }),
      );
    }
    const isHttps = u.protocol === 'https:';
    return new Promise<PostResult>((resolve) => {
      let settled = false;
      const finish = (r: Omit<PostResult, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(done(r));
      };
      const payload = Buffer.from(body, 'utf8');
      const req = (isHttps ? https : http).request(u, {
        method: 'POST',
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        lookup: localOnly ? this.localLookup : this.lookup,
        headers: { ...headers, 'content-length': String(payload.length) },
      });
      const timer = setTimeout(() => {
        req.destroy();
        finish({ status: null, excerpt: null, error: `no answer within ${this.opts.timeoutMs} ms` });
      }, this.opts.timeoutMs);
      const onAbort = () => {
        req.destroy();
        finish({ status: null, excerpt: null, error: 'aborted: the node is shutting down' });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e: NodeJS.ErrnoException) => {
        finish({
          status: null,
          excerpt: null,
          error: e.code === 'EBLOCKEDADDRESS' ? e.message : `${e.code ?? 'error'}: ${e.message}`,
        });
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        // An answer from a private or loopback address is never shown: the excerpt would read internal services.
        const peer = res.socket?.remoteAddress ?? '';
        const shown = isPublicAddress(peer.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, ''));
        const chunks: Buffer[] = [];
        let kept = 0;
        let read = 0;
        const excerpt = () => {
          const text = Buffer.concat(chunks)
            .toString('utf8')
            .replace(/\uFFFD+$/, '');
          // Cut at a character boundary within the byte budget.
          let s = text;
          while (Buffer.byteLength(s, 'utf8') > RESPONSE_EXCERPT_BYTES) s = s.slice(0, -1);
          return s || null;
        };
        const redirect =
          status >= 300 && status < 400 ? `redirect to ${res.headers.location ?? '?'} not followed` : null;
        const ra = Number(res.headers['retry-after']);
        const retryAfterSec = (status === 429 || status === 503) && Number.isFinite(ra) && ra >= 0 ? ra : null;
        res.on('data', (c: Buffer) => {
          read += c.length;
          if (kept < RESPONSE_EXCERPT_BYTES) {
            const part = c.subarray(0, RESPONSE_EXCERPT_BYTES - kept);
            chunks.push(part);
            kept += part.length;
          }
          if (read > RESPONSE_READ_LIMIT) {
            res.destroy();
            finish(answered(status, excerpt(), shown, redirect, retryAfterSec));
          }
        });
        res.on('end', () => finish(answered(status, excerpt(), shown, redirect, retryAfterSec)));
        res.on('error', () => finish(answered(status, excerpt(), shown, redirect, retryAfterSec)));
        res.on('close', () => finish(answered(status, excerpt(), shown, redirect, retryAfterSec)));
      });
      req.end(payload);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
