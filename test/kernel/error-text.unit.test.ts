// Every failure an operator sees is one line with the real reason, whatever was thrown.
import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/kernel/error-text.ts';

describe('errorText', () => {
  it('never says "undefined"', () => {
    expect(errorText(undefined)).toBe('unknown error (nothing was thrown with it)');
    expect(errorText(null, 'embedded PostgreSQL exited')).toBe('embedded PostgreSQL exited');
    expect(errorText('postmaster.pid already exists\nis another postmaster running?')).toBe(
      'postmaster.pid already exists is another postmaster running?',
    );
  });

  it('keeps the message and adds the system code', () => {
    const e = Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' });
    expect(errorText(e)).toBe('connect failed (ECONNREFUSED)');
    expect(errorText(new AggregateError([new Error('a'), new Error('b')], ''))).toBe('a; b');
    expect(errorText({ reason: 'x' })).toBe('{"reason":"x"}');
  });
});
