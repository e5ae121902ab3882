// Pure rules of src/modules/auth: JWT signing/verification, scope checks, IP allowlists.
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/kernel/errors.ts';
import { buildAllowlist, parseCidr } from '../../../src/kernel/ip-allowlist.ts';
import { newApiKey, sameHash, secretHash } from '../../../src/kernel/secrets.ts';
import { type AccessClaims, signJwt, verifyJwt } from '../../../src/modules/auth/jwt.ts';
import { assertInScope, inScope, scopeHash } from '../../../src/modules/auth/scope.ts';

const k1 = { kid: 'k1', secret: 'a'.repeat(40) };
const k2 = { kid: 'k2', secret: 'b'.repeat(40) };
const now = 1_800_000_000;
const claims: AccessClaims = {
  iss: 'kc',
  sub: 'cl_1',
  iat: now,
  exp: now + 3600,
  jti: '01J00000000000000000000000',
  tier: 'free',
  scope_hash: 'x',
};
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('jwt', () => {
  it('round-trips with the signing key and verifies with any key of the ring (rotation overlap)', async () => {
    const t = signJwt(claims, [k1, k2]);
    expect(await verifyJwt(t, [k1, k2], 'kc', now)).toEqual(claims);
    expect(await verifyJwt(t, [k2, k1], 'kc', now)).toEqual(claims); // k2 signs now, k1 still verifies
    expect(await verifyJwt(t, [k2], 'kc', now)).toBeNull(); // k1 retired
  });

  it('signs the very bytes jose writes for the same header and claims (signing is node:crypto, verifying jose)', async () => {
    for (const k of [k1, k2]) {
      const byJose = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: k.kid })
        .sign(Buffer.from(k.secret, 'utf8'));
      expect(signJwt(claims, [k])).toBe(byJose);
    }
  });

  it('rejects expiry, future iat beyond skew, wrong issuer, alg confusion and missing claims', async () => {
    const t = signJwt(claims, [k1]);
    expect(await verifyJwt(t, [k1], 'kc', now + 3600)).toBeNull();
    expect(await verifyJwt(t, [k1], 'kc', now + 3599)).not.toBeNull();
    expect(await verifyJwt(t, [k1], 'kc', now - 61)).toBeNull();
    expect(await verifyJwt(t, [k1], 'other', now)).toBeNull();
    const sign = (h: object, c: object) => {
      const data = `${b64(h)}.${b64(c)}`;
      return `${data}.${createHmac('sha256', k1.secret).update(data).digest('base64url')}`;
    };
    expect(await verifyJwt(sign({ alg: 'HS256', typ: 'JWT', kid: 'k1' }, claims), [k1], 'kc', now)).not.toBeNull();
    expect(await verifyJwt(sign({ alg: 'none', kid: 'k1' }, claims), [k1], 'kc', now)).toBeNull();
    expect(await verifyJwt(sign({ alg: 'HS256' }, claims), [k1], 'kc', now)).toBeNull();
    expect(await verifyJwt(sign({ alg: 'HS256', kid: 'k1', typ: 'JWE' }, claims), [k1], 'kc', now)).toBeNull();
    const { jti: _omit, ...noJti } = claims;
    expect(await verifyJwt(sign({ alg: 'HS256', typ: 'JWT', kid: 'k1' }, noJti), [k1], 'kc', now)).toBeNull();
    const expText = sign({ alg: 'HS256', typ: 'JWT', kid: 'k1' }, { ...claims, exp: String(claims.exp) });
    expect(await verifyJwt(expText, [k1], 'kc', now)).toBeNull();
    expect(await verifyJwt(`${t}.`, [k1], 'kc', now)).toBeNull();
    expect(await verifyJwt(t.slice(0, -2), [k1], 'kc', now)).toBeNull();
  });
});

describe('scope', () => {
  const p = { scope: { brands: ['Osem', 'Manischewitz'], ownerships: null } };
  it('allows by brand case-insensitively and treats null as every value', () => {
    expect(inScope(p, { brand: 'osem', ownership: 'Any Studio' })).toBe(true);
    expect(inScope(p, { brand: 'Kedem', ownership: 'Any Studio' })).toBe(false);
    expect(inScope({ brands: null, ownerships: ['Studio A'] }, { brand: 'Kedem', ownership: 'studio a' })).toBe(true);
    expect(inScope({ brands: null, ownerships: null }, { brand: 'x', ownership: 'y' })).toBe(true);
    expect(() => assertInScope(p, { brand: 'Kedem', ownership: 'S' })).toThrow(AppError);
    try {
      assertInScope(p, { brand: 'Kedem', ownership: 'S' });
    } catch (e) {
      expect((e as AppError).code).toBe('out_of_scope');
    }
  });
  it('hashes scopes independently of order and case', () => {
    expect(scopeHash({ brands: ['B', 'a'], ownerships: null })).toBe(
      scopeHash({ brands: ['A', 'b'], ownerships: null }),
    );
    expect(scopeHash({ brands: ['a'], ownerships: null })).not.toBe(scopeHash({ brands: null, ownerships: ['a'] }));
  });
});

describe('ip allowlist', () => {
  it('matches IPv4, IPv6 and IPv4-mapped addresses against CIDRs', () => {
    const l = buildAllowlist(['192.0.2.0/24', '2001:db8::/32', '198.51.100.7']);
    expect(l.allows('192.0.2.200')).toBe(true);
    expect(l.allows('::ffff:192.0.2.1')).toBe(true);
    expect(l.allows('192.0.3.1')).toBe(false);
    expect(l.allows('2001:db8:1::5')).toBe(true);
    expect(l.allows('2001:db9::1')).toBe(false);
    expect(l.allows('198.51.100.7')).toBe(true);
    expect(l.allows('198.51.100.8')).toBe(false);
    expect(l.allows('garbage')).toBe(false);
    expect(buildAllowlist([]).allows('203.0.113.1')).toBe(true);
  });
  it('parses only real CIDRs', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ addr: '10.0.0.0', bits: 8, type: 'ipv4' });
    expect(parseCidr('::1')).toEqual({ addr: '::1', bits: 128, type: 'ipv6' });
    for (const bad of ['10.0.0.0/33', '10.0.0/8', '10.0.0.0/8/1', 'fe80::/129', '', 'host', '10.0.0.0/-1'])
      expect(parseCidr(bad)).toBeNull();
  });
});

describe('api keys', () => {
  it('are kc_live_ + 256 random bits, compared by hash', () => {
    const a = newApiKey();
    expect(a).toMatch(/^kc_live_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(newApiKey());
    expect(sameHash(secretHash(a), secretHash(a))).toBe(true);
    expect(sameHash(secretHash(a), secretHash(a + 'x'))).toBe(false);
  });
});
