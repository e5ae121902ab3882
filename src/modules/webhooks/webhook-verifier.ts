// The verification handshake (docs/webhooks.md#verification): before a subscription receives anything, its
// endpoint must answer a signed `webhook.verification` event by echoing the challenge in it. Whoever asks us to
// send events to a URL thereby proves that the URL's owner agreed to receive them, so webhooks cannot be turned
// on a third party. The outcome says why in our own words; the target's answer is never shown.
import { randomBytes } from 'node:crypto';
import { sign } from './webhook-signer.ts';
import type { WebhookPoster } from './webhook-target.ts';

export interface VerificationOutcome {
  verified: boolean;
  /** Why it failed (null when verified). */
  error: string | null;
}

/** The body of a verification event; the challenge also travels alone so receivers can echo it as they like. */
function verificationPayload(webhookId: string, challenge: string): string {
  return JSON.stringify({
    type: 'webhook.verification',
    timestamp: new Date().toISOString(),
    data: { webhook_id: webhookId, challenge },
  });
}

/** True when the answer echoes the challenge: `{"challenge": "…"}` (JSON) or the challenge as the whole body. */
function echoes(answer: string | null | undefined, challenge: string): boolean {
  if (!answer) return false;
  const text = answer.trim();
  if (text === challenge) return true;
  try {
    const parsed = JSON.parse(text) as { challenge?: unknown } | null;
    return typeof parsed === 'object' && parsed !== null && parsed.challenge === challenge;
  } catch {
    return false;
  }
}

/** Sends one signed verification event to `url` and checks the echo. Never throws. */
export async function verifyEndpoint(
  poster: WebhookPoster,
  url: string,
  secret: string,
  webhookId: string,
): Promise<VerificationOutcome> {
  const challenge = randomBytes(24).toString('base64url');
  const messageId = `msg_${randomBytes(16).toString('hex')}`;
  const body = verificationPayload(webhookId, challenge);
  const ts = Math.floor(Date.now() / 1000);
  const r = await poster.post(
    url,
    {
      'content-type': 'application/json',
      'user-agent': 'kosher-catalog-webhooks/1',
      'webhook-id': messageId,
      'webhook-timestamp': String(ts),
      'webhook-signature': sign(secret, messageId, ts, body),
    },
    body,
  );
  if (r.status === null) return { verified: false, error: `No answer: ${r.error ?? 'unknown error'}`.slice(0, 300) };
  if (r.status < 200 || r.status >= 300)
    return { verified: false, error: `The endpoint answered HTTP ${r.status}; expected 2xx with the challenge.` };
  if (!echoes(r.answer, challenge))
    return { verified: false, error: 'The answer did not echo the challenge: answer {"challenge": "<challenge>"}.' };
  return { verified: true, error: null };
}
