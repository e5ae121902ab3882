// The kc_invalidate payloads the triggers send (docs/operations.md#cache-invalidation-across-nodes), and what the
// listener makes of anything else: null, which resyncs every cache.
import { describe, expect, it } from 'vitest';
import { parseInvalidation } from '../../../src/platform/db/invalidation-listener.ts';

describe('parseInvalidation', () => {
  it('reads the trigger payloads, with ids or for all of a kind', () => {
    expect(parseInvalidation('{"kind" : "products", "ids" : ["00000000000001","00000000000002"]}')).toEqual({
      kind: 'products',
      ids: ['00000000000001', '00000000000002'],
    });
    expect(parseInvalidation('{"kind" : "clients", "ids" : ["cl_1"]}')).toEqual({ kind: 'clients', ids: ['cl_1'] });
    expect(parseInvalidation('{"kind" : "pricing"}')).toEqual({ kind: 'pricing', ids: null });
    expect(parseInvalidation('{"kind" : "products"}')).toEqual({ kind: 'products', ids: null });
  });

  it('refuses anything else', () => {
    for (const p of [
      '',
      'products',
      '[]',
      'null',
      '{"kind":"webhooks"}',
      '{"kind":"products","ids":[1]}',
      '{"ids":[]}',
    ])
      expect(parseInvalidation(p)).toBeNull();
  });
});
