// Standard Webhooks signatures (docs/webhooks.md#signatures): `webhook-signature: v1,<base64 HMAC-SHA-256 of
// "id.timestamp.body">` under the subscription's secret `whsec_<base64>`. The secret is stored encrypted
// (AES-256-GCM under WEBHOOK_SECRET_KEYS, whose first key encrypts and every key decrypts), never in clear.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes, `whsec_` + standard base64 (what standardwebhooks libraries read). */
export function newSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The `webhook-signature` header value for one message. */
export function sign(secret: string, msgId: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  const mac = createHmac('sha256', key).update(`${msgId}.${timestampSec}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export interface KeyEntry {
  kid: string;
  secret: string;
}

/** Encrypts signing secrets at rest. Stored form: `kid:iv:ciphertext:tag`, base64url parts. */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly current: string;
  private readonly currentKey: Buffer;

  constructor(ring: KeyEntry[]) {
    if (ring.length === 0) throw new Error('SecretBox: empty key ring');
    this.keys = new Map(ring.map((k) => [k.kid, createHash('sha256').update(k.secret, 'utf8').digest()]));
    this.current = ring[0].kid;
    this.currentKey = this.keys.get(this.current) as Buffer;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.currentKey, iv);
    c.setAAD(Buffer.from(this.current));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return [
      this.current,
      iv.toString('base64url'),
      ct.toString('base64url'),
      c.getAuthTag().toString('base64url'),
    ].join(':');
  }

  /** The clear secret, or null when the key is gone or the value was tampered with. */
  open(sealed: string): string | null {
    const [kid, iv, ct, tag] = sealed.split(':');
    const key = kid === undefined ? undefined : this.keys.get(kid);
    if (!key || !iv || !ct || !tag) return null;
    try {
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAAD(Buffer.from(kid));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
