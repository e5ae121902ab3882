// Fresh secrets for one deployment started by a test or a benchmark (every node of it shares them).
import { randomBytes } from 'node:crypto';

export function testSecrets() {
  const s = () => randomBytes(32).toString('base64url');
  return {
    ADMIN_TOKEN: `adm_${s()}`,
    JWT_KEYS: `k1:${s()}`,
    IMAGE_URL_KEYS: `u1:${s()}`,
    IMAGE_MARK_KEYS: `m1:${s()}`,
    WEBHOOK_SECRET_KEYS: `w1:${s()}`,
  };
}
