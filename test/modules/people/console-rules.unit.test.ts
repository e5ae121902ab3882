// Pure rules of the console (docs/console.md): production refuses open sign-up without SMTP, the password
// rules, and the TOTP codes of RFC 6238's own test vector.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/main/config.ts';
import { base32Decode, hotp } from '../../../src/modules/operators/totp.ts';
import { assertPasswordAllowed } from '../../../src/modules/people/index.ts';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('console rules', () => {
  it('production with SIGNUP=open and no SMTP_URL names the problem in one line', () => {
    expect(problems({ NODE_ENV: 'production', SIGNUP: 'open' })).toMatch(
      /\n {2}- SIGNUP=open in production needs SMTP_URL: set SMTP_URL, or SIGNUP=invite or off(\n|$)/,
    );
    expect(problems({ NODE_ENV: 'production', SIGNUP: 'open', SMTP_URL: 'smtp://127.0.0.1:25' })).not.toMatch(/SIGNUP/);
    expect(problems({ NODE_ENV: 'production' })).not.toMatch(/SIGNUP/);
  });

  it('passwords: at least 12 characters, not a common one', () => {
    expect(() => assertPasswordAllowed('short')).toThrow(/at least 12/);
    expect(() => assertPasswordAllowed('Password1234')).toThrow(/most common/);
    expect(() => assertPasswordAllowed('x'.repeat(201))).toThrow(/at most 200/);
    expect(() => assertPasswordAllowed('purple lantern morning')).not.toThrow();
  });

  it('TOTP matches RFC 6238 appendix B (SHA-1, 6 digits of the 8-digit vectors)', () => {
    // The secret "12345678901234567890" in base32.
    const secret = base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(secret.toString()).toBe('12345678901234567890');
    expect(hotp(secret, Math.floor(59 / 30))).toBe('287082');
    expect(hotp(secret, Math.floor(1111111109 / 30))).toBe('081804');
    expect(hotp(secret, Math.floor(2000000000 / 30))).toBe('279037');
  });
});
