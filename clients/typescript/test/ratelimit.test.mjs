// 429 (CONTRACT §5, §13): the client waits Retry-After and tries again. The harness's limited client may make 2
// requests per 2-second window, its token exchange included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { env, recordingClient } from './helpers.mjs';

describe('rate limits', () => {
  it('honours 429 Retry-After: every call of a limited client succeeds after waiting', async () => {
    const { kc, retries, sent } = recordingClient({
      clientId: env('KC_LIMITED_CLIENT_ID'),
      apiKey: env('KC_LIMITED_API_KEY'),
      maxRetries: 4,
    });
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const res = await kc.balance();
      assert.equal(res.status, 200);
    }
    const limited = retries.filter((r) => r.reason === 'rate_limited');
    assert.ok(limited.length >= 1, `expected a 429 among ${sent.join(', ')}`);
    // Each wait is the server's Retry-After (whole seconds, at least 1 here), not a blind backoff.
    assert.ok(limited.every((r) => r.delayMs >= 1000 && r.status === 429));
    assert.ok(sent.includes('GET /api/v1/balance 429'));
    assert.ok(Date.now() - started < 20_000);
  });
});
