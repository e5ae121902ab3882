// The request target the router sees: a plain path skips the URL parser, so for every path it takes as is the
// parser must have given the same pathname and no query (src/platform/http/handler.ts parseUrl).
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseUrl } from '../../../src/platform/http/handler.ts';

describe('parseUrl', () => {
  it('gives what the URL parser gives, on paths with dots, slashes, escapes, queries and hosts', () => {
    const parts = [
      '/',
      '//',
      '.',
      '..',
      '...',
      'a',
      'Z9',
      '-',
      '_',
      '~',
      '%2e',
      '%2E',
      '%41',
      '?',
      '?x=1',
      '#f',
      '\\',
      ':',
      '@',
      ' ',
      'é',
      '.well-known',
      'x.y',
    ];
    const cases = [
      '',
      '/',
      '//',
      '//evil.example/x',
      '/api/v1/image/abc.DEF_-',
      '/a/./b',
      '/a/../b',
      '/a/..',
      '/.',
      '/..',
    ];
    for (let i = 0; i < 20000; i++)
      cases.push(`/${Array.from({ length: randomInt(0, 7) }, () => parts[randomInt(0, parts.length)]).join('')}`);
    let plain = 0;
    for (const raw of cases) {
      let want: URL;
      try {
        want = new URL(raw, 'http://localhost');
      } catch {
        expect(() => parseUrl(raw), raw).toThrow('Malformed request URL.');
        continue;
      }
      const got = parseUrl(raw);
      if (!(got instanceof URL)) plain++;
      expect(got.pathname, raw).toBe(want.pathname);
      expect([...got.searchParams], raw).toEqual([...want.searchParams]);
    }
    expect(plain).toBeGreaterThan(1000); // the fast path was exercised, not only the parser
  });
});
