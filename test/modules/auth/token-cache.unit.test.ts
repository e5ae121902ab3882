// The verified-token cache (src/modules/auth/token-cache.ts): an entry never outlives the token's exp nor the TTL,
// failures are never cached, the bound holds (least recently used goes first), 0 turns it off.
import { describe, expect, it } from 'vitest';
import type { AccessClaims } from '../../../src/modules/auth/jwt.ts';
import { VerifiedTokenCache } from '../../../src/modules/auth/token-cache.ts';

const T0 = 1_800_000_000_000;
const claims = (exp: number): AccessClaims => ({
  iss: 'kc',
  sub: 'cl_1',
  iat: exp - 3600,
  exp,
  jti: '01J0000000000000000000000',
  tier: 'standard',
  scope_hash: '',
});

/** A verifier that counts its calls and accepts tokens starting with "ok" (exp from the token text). */
function verifier() {
  const v = {
    calls: 0,
    fn: async (t: string) => {
      v.calls++;
      return t.startsWith('ok') ? claims(Number(t.split(':')[1])) : null;
    },
  };
  return v;
}

describe('VerifiedTokenCache', () => {
  it('verifies a token once, then answers from the cache until the TTL', async () => {
    const hits: boolean[] = [];
    const c = new VerifiedTokenCache(10, (h) => hits.push(h), 60_000);
    const v = verifier();
    const tok = `ok:${T0 / 1000 + 3600}`;
    expect(await c.verify(tok, v.fn, T0)).toMatchObject({ sub: 'cl_1' });
    expect(await c.verify(tok, v.fn, T0 + 59_999)).toMatchObject({ sub: 'cl_1' });
    expect(v.calls).toBe(1);
    await c.verify(tok, v.fn, T0 + 60_000); // TTL over: verified again
    expect(v.calls).toBe(2);
    expect(hits).toEqual([false, true, false]);
  });

  it('never answers from the cache at or past exp', async () => {
    const c = new VerifiedTokenCache(10, undefined, 60_000);
    const exp = T0 / 1000 + 10;
    let valid = true;
    const fn = async () => (valid ? claims(exp) : null);
    expect(await c.verify('tok', fn, T0)).not.toBeNull();
    expect(await c.verify('tok', fn, T0 + 9_999)).not.toBeNull();
    valid = false; // the real verifier refuses it from exp on
    expect(await c.verify('tok', fn, T0 + 10_000)).toBeNull();
  });

  it('does not cache failures', async () => {
    const c = new VerifiedTokenCache(10);
    const v = verifier();
    expect(await c.verify('forged', v.fn, T0)).toBeNull();
    expect(await c.verify('forged', v.fn, T0)).toBeNull();
    expect(v.calls).toBe(2);
    expect(c.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const c = new VerifiedTokenCache(2);
    const v = verifier();
    const tok = (i: number) => `ok:${T0 / 1000 + 3600}:${i}`;
    await c.verify(tok(1), v.fn, T0);
    await c.verify(tok(2), v.fn, T0);
    await c.verify(tok(1), v.fn, T0); // 1 is now the most recent
    await c.verify(tok(3), v.fn, T0); // evicts 2
    expect(c.size).toBe(2);
    expect(v.calls).toBe(3);
    await c.verify(tok(1), v.fn, T0);
    expect(v.calls).toBe(3);
    await c.verify(tok(2), v.fn, T0);
    expect(v.calls).toBe(4);
  });

  it('with 0 entries verifies every time and keeps nothing', async () => {
    const c = new VerifiedTokenCache(0);
    const v = verifier();
    const tok = `ok:${T0 / 1000 + 3600}`;
    await c.verify(tok, v.fn, T0);
    await c.verify(tok, v.fn, T0);
    expect(v.calls).toBe(2);
    expect(c.size).toBe(0);
  });
});
