// The strict query rule (src/platform/http/query.ts, docs/rest.md#query-parameters) as a pure function: what a
// route declares is taken, in every form clients send lists; anything else is the 400/414 it earns.
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_BYTES, MAX_QUERY_PARAMS, type QueryParams, strictQuery } from '../../../src/platform/http/query.ts';
import { Router } from '../../../src/platform/http/router.ts';

const PRODUCT: QueryParams = { include: 'list', variants: 'list', image_size: 'one', image_format: 'one' };

/** The checked query as a plain object, or the error's code and message. */
function check(spec: QueryParams, search: string): Record<string, string> | { code: string; message: string } {
  try {
    return Object.fromEntries(strictQuery(spec, search));
  } catch (e) {
    const err = e as { code: string; message: string };
    return { code: err.code, message: err.message };
  }
}

describe('strictQuery', () => {
  it('reads a list in the comma, repeated, PHP bracket and indexed forms, and any mix, as the same comma list', () => {
    const same = { include: 'product_meta,images', variants: 'front' };
    for (const q of [
      '?include=product_meta,images&variants=front',
      '?include=product_meta&include=images&variants=front',
      '?include[]=product_meta&include[]=images&variants[]=front',
      '?include%5B%5D=product_meta&include%5B%5D=images&variants%5B%5D=front',
      '?include%5B0%5D=product_meta&include%5B1%5D=images&variants%5B0%5D=front',
      '?include[1]=product_meta&include[0]=images&variants[0]=front',
      '?include=product_meta&include[]=images&variants[7]=front',
    ]) {
      expect(check(PRODUCT, q), q).toEqual(same);
    }
    // A scalar next to the list; nothing given, nothing read.
    expect(check(PRODUCT, '?include[]=images&image_size=small')).toEqual({ include: 'images', image_size: 'small' });
    expect(check(PRODUCT, '')).toEqual({});
    expect(check(PRODUCT, '?')).toEqual({});
  });

  it('keeps empty list items, so the route refuses them as a bad value rather than reading "omitted"', () => {
    expect(check(PRODUCT, '?include=')).toEqual({ include: '' });
    expect(check(PRODUCT, '?include=images&include=')).toEqual({ include: 'images,' });
  });

  it('refuses a parameter the route does not take, naming it and what the route takes', () => {
    expect(check(PRODUCT, '?inlcude=product_meta')).toEqual({
      code: 'unknown_parameter',
      message: 'Unknown query parameter `inlcude`: it takes include, variants, image_size, image_format.',
    });
    expect(check({}, '?x=1')).toEqual({
      code: 'unknown_parameter',
      message: 'Unknown query parameter `x`: it takes no query parameters.',
    });
    for (const key of [
      'Include',
      'include[x]',
      'include[][]',
      '[]',
      'include[',
      'constructor',
      '__proto__',
      'toString',
    ]) {
      const r = check(PRODUCT, `?${encodeURIComponent(key)}=images`);
      expect(r, key).toMatchObject({ code: 'unknown_parameter' });
      expect((r as { message: string }).message, key).toContain(`\`${key}\``);
    }
    // A key with no value is still a parameter the route does not take.
    expect(check(PRODUCT, '?images')).toMatchObject({ code: 'unknown_parameter' });
    expect(check(PRODUCT, `?${'k'.repeat(500)}=1`)).toMatchObject({ message: expect.stringContaining('…') });
  });

  it('refuses a scalar given twice, or as a list, naming it', () => {
    expect(check(PRODUCT, '?image_size=small&image_size=small')).toEqual({
      code: 'bad_request',
      message: '`image_size` is given more than once; it takes one value.',
    });
    expect(check(PRODUCT, '?image_size[]=small')).toEqual({
      code: 'bad_request',
      message: '`image_size` takes one value, not a list (`image_size[]`).',
    });
    expect(check({ from: 'one' }, '?from=2026-01-01&from[0]=2026-01-02')).toMatchObject({ code: 'bad_request' });
  });

  it('an API route cannot be declared to ignore its query; a page can', () => {
    const handler = async () => ({ status: 200 });
    for (const path of ['/api/v1/x', '/admin/v1/x']) {
      expect(() => new Router().add({ method: 'GET', path, access: 'public', query: 'ignored', handler })).toThrow(
        'must declare its query parameters',
      );
    }
    expect(() =>
      new Router().add({ method: 'GET', path: '/docs/x', access: 'public', query: 'ignored', handler }),
    ).not.toThrow();
  });

  it('bounds the number of parameters and the length of the query', () => {
    const many = (n: number) => `?${Array.from({ length: n }, () => 'include=images').join('&')}`;
    expect(check(PRODUCT, many(MAX_QUERY_PARAMS))).toEqual({ include: Array(MAX_QUERY_PARAMS).fill('images').join() });
    expect(check(PRODUCT, many(MAX_QUERY_PARAMS + 1))).toEqual({
      code: 'bad_request',
      message: `Too many query parameters: at most ${MAX_QUERY_PARAMS}.`,
    });
    // The worst values: 10,000 parameters, a megabyte of query.
    expect(check(PRODUCT, `?${'a=1&'.repeat(10_000)}`)).toMatchObject({ code: 'uri_too_long' });
    expect(check(PRODUCT, `?include=${'x'.repeat(1 << 20)}`)).toMatchObject({ code: 'uri_too_long' });
    expect(check(PRODUCT, `?include=${'x'.repeat(MAX_QUERY_BYTES - 8)}`)).toMatchObject({
      include: expect.any(String),
    });
    expect(check(PRODUCT, `?include=${'x'.repeat(MAX_QUERY_BYTES - 7)}`)).toMatchObject({ code: 'uri_too_long' });
  });
});
