import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newUlid } from '../../src/kernel/ids.ts';

describe('newUlid', () => {
  it('is a standard ULID whose time any ULID library decodes', () => {
    const t = Date.UTC(2026, 10, 26, 12, 0, 0, 123);
    const id = newUlid(t);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(decodeTime(id)).toBe(t);
  });

  it('is unique and sorts by time', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => newUlid(1_700_000_000_000 + Math.floor(i / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    expect(newUlid(1_700_000_000_001) > newUlid(1_700_000_000_000)).toBe(true);
  });
});
