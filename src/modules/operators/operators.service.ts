// Operator users (docs/console.md#operators): created with the admin CLI, signed in with a password and a
// TOTP code, acting on every account through the operator console; each action is audit-logged.
import { parseCredits, unitsToString } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import { newUlid } from '../../kernel/ids.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { LoginThrottle } from '../../platform/shared-state/login-throttle.ts';
import type { AccountsService } from '../accounts/index.ts';
import type { PricingService } from '../billing/index.ts';
import { type ProductAdminService, parseProductMeta, VARIANTS } from '../catalog/index.ts';
import { IMAGE_UPLOAD_LIMIT, type ImagesModule } from '../images/index.ts';
import {
  type AuditRecord,
  assertPasswordAllowed,
  type ConsoleRequest,
  cookieValue,
  hashPassword,
  newSecret,
  normalEmail,
  sameSecret,
  sessionCookie,
  sha256,
  verifyPassword,
} from '../people/index.ts';
import type { WebhooksModule } from '../webhooks/index.ts';
import * as repo from './operators.repository.ts';
import type {
  AccountSummaryView,
  IdentifyView,
  Operator,
  OperatorSessionView,
  ProductImageView,
  ProductView,
  SavedProductView,
  TraceView,
  WebhookHealthView,
} from './operators.views.ts';
import { matchStep, newTotpSecret, otpauthUri } from './totp.ts';

const COOKIE = 'kc_operator';
const IDLE_SEC = 12 * 3600;
const ABSOLUTE_SEC = 7 * 24 * 3600;
/** Base64 of at most ~700 KB of image: the GraphQL body limit is 1 MiB. */
const MAX_IMAGE_B64 = 960_000;
/** Base64 of the admin API's upload limit (25 MiB, docs/limits.md), with room for a data: URL prefix. */
const MAX_UPLOAD_B64 = Math.ceil(IMAGE_UPLOAD_LIMIT / 3) * 4 + 200;
const MIB = 1024 * 1024;

export interface OperatorsDeps {
  sql: Sql;
  audit: (a: AuditRecord) => Promise<void>;
  throttle: LoginThrottle;
  accounts?: AccountsService;
  pricing?: PricingService;
  images?: Pick<ImagesModule, 'traces' | 'identify' | 'ingest'>;
  products?: ProductAdminService;
  webhooks?: WebhooksModule['service'];
}

/** Creates an operator (admin CLI): returns the TOTP secret, shown once. */
export async function createOperator(
  sql: Sql,
  rawEmail: string,
  password: string,
): Promise<{ operator_id: string; email: string; totp_secret: string; otpauth_uri: string }> {
  const email = normalEmail(rawEmail);
  assertPasswordAllowed(password);
  const operatorId = `op_${newUlid()}`;
  const totpSecret = newTotpSecret();
  try {
    await repo.insertOperator(sql, { operatorId, email, passwordHash: await hashPassword(password), totpSecret });
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new AppError('conflict', 'An operator with this e-mail exists.');
    throw e;
  }
  return { operator_id: operatorId, email, totp_secret: totpSecret, otpauth_uri: otpauthUri(email, totpSecret) };
}

export class OperatorsService {
  private readonly sessions = new WeakMap<ConsoleRequest, Promise<repo.OperatorSessionRow | null>>();

  constructor(private readonly d: OperatorsDeps) {}

  private need<T>(v: T | undefined): T {
    if (v === undefined) throw new AppError('service_unavailable', 'Not available on this node.');
    return v;
  }

  private session(r: ConsoleRequest): Promise<repo.OperatorSessionRow | null> {
    let s = this.sessions.get(r);
    if (!s) {
      const token = cookieValue(r.cookie, COOKIE);
      s =
        token && token.length <= 100
          ? repo.liveOperatorSession(this.d.sql, sha256(token), IDLE_SEC)
          : Promise.resolve(null);
      this.sessions.set(r, s);
    }
    return s;
  }

  private view(s: repo.OperatorSessionRow): OperatorSessionView {
    const idleEnd = new Date(s.last_seen_at.getTime() + IDLE_SEC * 1000);
    return {
      operatorId: s.operator_id,
      email: s.email,
      csrfToken: s.csrf_token,
      expiresAt: idleEnd < s.expires_at ? idleEnd : s.expires_at,
    };
  }

  private refuseBearer(r: ConsoleRequest): void {
    if (r.bearer)
      throw new AppError('forbidden', 'Operator operations need an operator session; an API token cannot be used.');
  }

  /** Whether a Cookie header carries a live operator session (the operator door's large-body check). */
  async signedIn(cookie: string | undefined): Promise<boolean> {
    const token = cookieValue(cookie, COOKIE);
    if (!token || token.length > 100) return false;
    return (await repo.liveOperatorSession(this.d.sql, sha256(token), IDLE_SEC)) !== null;
  }

  async currentSession(r: ConsoleRequest): Promise<OperatorSessionView | null> {
    this.refuseBearer(r);
    const s = await this.session(r);
    return s ? this.view(s) : null;
  }

  async operator(r: ConsoleRequest, mutation: boolean): Promise<Operator> {
    this.refuseBearer(r);
    const s = await this.session(r);
    if (!s) throw new AppError('unauthenticated', 'Sign in to the operator console.');
    if (mutation && !sameSecret(r.csrf, s.csrf_token))
      throw new AppError('forbidden', 'Send the X-CSRF-Token header of your operator session.');
    return { operatorId: s.operator_id, email: s.email, sessionId: '', ip: r.ip };
  }

  private audit(o: Operator, accountId: string | null, action: string, target: string | null, details = {}) {
    return this.d.audit({
      accountId,
      actorKind: 'operator',
      actorId: o.operatorId,
      actor: o.email,
      action,
      target,
      details,
      ip: o.ip,
    });
  }

  async signIn(r: ConsoleRequest, a: { email: string; password: string; totp: string }): Promise<OperatorSessionView> {
    this.refuseBearer(r);
    const email = a.email.trim().toLowerCase().slice(0, 254);
    const keys = [`${email}|${r.ip}`, `ip:${r.ip}`];
    await this.d.throttle.assertAllowed(keys);
    const o = await repo.operatorByEmail(this.d.sql, email);
    const passwordOk = await verifyPassword(a.password.slice(0, 200), o?.password_hash ?? null);
    const step = o && passwordOk ? matchStep(o.totp_secret, a.totp.trim()) : null;
    // A code is accepted once: replaying one seen (even from another sign-in) fails like a wrong code.
    if (!o || step === null || !(await repo.useTotpStep(this.d.sql, o.operator_id, step))) {
      await this.d.throttle.recordFailure(keys);
      throw new AppError('invalid_credentials', 'Wrong e-mail address, password or code.');
    }
    const token = newSecret();
    const hash = sha256(token);
    await repo.insertOperatorSession(this.d.sql, {
      hash,
      operatorId: o.operator_id,
      csrf: newSecret(),
      ip: r.ip,
      absoluteSec: ABSOLUTE_SEC,
    });
    r.setCookie(sessionCookie(COOKIE, token, ABSOLUTE_SEC, r.secure));
    const s = await repo.liveOperatorSession(this.d.sql, hash, IDLE_SEC);
    if (!s) throw new Error('operator session vanished right after it was made');
    this.sessions.set(r, Promise.resolve(s));
    await this.audit(
      { operatorId: o.operator_id, email: o.email, sessionId: '', ip: r.ip },
      null,
      'operator.sign_in',
      o.operator_id,
    );
    return this.view(s);
  }

  async signOut(r: ConsoleRequest, o: Operator): Promise<boolean> {
    const token = cookieValue(r.cookie, COOKIE);
    if (token) await repo.deleteOperatorSession(this.d.sql, sha256(token));
    r.setCookie(sessionCookie(COOKIE, '', 0, r.secure));
    await this.audit(o, null, 'operator.sign_out', o.operatorId);
    return true;
  }

  accounts(_o: Operator, q: { search?: string | null; first?: number | null }): Promise<AccountSummaryView[]> {
    const first = q.first ?? 50;
    if (!Number.isInteger(first) || first < 1 || first > 200) throw new AppError('bad_request', 'first: 1 to 200.');
    const search = q.search?.trim() || null;
    if (search && search.length > 200) throw new AppError('bad_request', 'search: at most 200 characters.');
    return repo.searchAccounts(this.d.sql, search, first);
  }

  async grantCredits(
    o: Operator,
    a: { accountId: string; amount: number; reason: string; idempotencyKey: string },
  ): Promise<bigint> {
    const amount = parseCredits(a.amount);
    if (amount === null) throw new AppError('bad_request', 'amount: at most 4 decimals.');
    const reason = a.reason.trim();
    if (reason.length < 1 || reason.length > 500) throw new AppError('bad_request', 'reason: 1 to 500 characters.');
    if (!/^[A-Za-z0-9._:-]{8,128}$/.test(a.idempotencyKey))
      throw new AppError('bad_request', 'idempotencyKey: 8 to 128 of A-Z a-z 0-9 . _ : -');
    const g = await this.need(this.d.accounts).grantCredits(a.accountId, { amount, reason }, `op:${a.idempotencyKey}`);
    if (!g.replayed)
      await this.audit(o, a.accountId, 'credits.grant', a.accountId, { amount: unitsToString(amount), reason });
    return g.balance;
  }

  async setPrices(o: Operator, prices: { action: string; credits: number }[]): Promise<Date> {
    if (prices.length < 1 || prices.length > 20) throw new AppError('bad_request', 'prices: 1 to 20 entries.');
    const actions: Record<string, number> = {};
    for (const p of prices) actions[p.action] = p.credits;
    const out = await this.need(this.d.pricing).update(actions);
    await this.audit(o, null, 'pricing.update', null, { actions });
    return out.updatedAt;
  }

  async trace(o: Operator, url: string): Promise<TraceView> {
    if (url.length > 4096) throw new AppError('bad_request', 'url: at most 4096 characters.');
    const t = await this.need(this.d.images).traces.trace(url.trim());
    await this.audit(o, t.account_id, 'image.trace', t.grant_id, { client_id: t.client_id });
    return {
      grantId: t.grant_id,
      clientId: t.client_id,
      accountId: t.account_id,
      barcode: t.barcode,
      variant: t.variant,
      size: t.size,
      format: t.format,
      ip: t.ip,
      issuedAt: t.issued_at,
      expiresAt: t.expires_at,
      redeemed: t.redeemed,
      redeemedAt: t.redeemed_at,
      redeemedIp: t.redeemed_ip,
    };
  }

  async identify(o: Operator, imageBase64: string): Promise<IdentifyView> {
    if (imageBase64.length > MAX_IMAGE_B64)
      throw new AppError('payload_too_large', 'The image is too large for this form.');
    const bytes = Buffer.from(imageBase64.replace(/^data:[^,]*,/, ''), 'base64');
    if (bytes.length < 16) throw new AppError('bad_request', 'imageBase64: not an image.');
    const r = await this.need(this.d.images).identify.identify(bytes);
    const accountId = r.client_id
      ? ((
          await this.d.sql<{ account_id: string }[]>`/* identifyAccount */
          select account_id from api_clients where client_id = ${r.client_id}`
        )[0]?.account_id ?? null)
      : null;
    await this.audit(o, accountId, 'image.identify', r.grant_id ?? r.client_id, {
      barcode: r.barcode,
      variant: r.variant,
      client_id: r.client_id,
      confidence: r.confidence,
    });
    return {
      barcode: r.barcode,
      variant: r.variant,
      clientId: r.client_id,
      accountId,
      grantId: r.grant_id,
      confidence: r.confidence,
      imageSimilarity: r.image_similarity,
    };
  }

  async webhookHealth(_o: Operator): Promise<WebhookHealthView> {
    const s = await this.need(this.d.webhooks).stats();
    return {
      ...{ queued: s.queued, retrying: s.retrying, delivered: s.delivered, failed: s.failed },
      ...{ retries: s.retries, oldestDueSeconds: s.oldest_due_seconds },
    };
  }

  /** A product as stored, for the product form (null: no such product). */
  async product(_o: Operator, barcode: string): Promise<ProductView | null> {
    const r = await this.need(this.d.products).read(barcode.trim().slice(0, 40));
    if (!r) return null;
    const images: ProductImageView[] = VARIANTS.flatMap((v) => {
      const i = r.images[v];
      return i
        ? [
            {
              variant: v,
              format: i.format,
              width: i.width,
              height: i.height,
              fileSizeBytes: i.file_size_bytes,
              sha256: i.sha256,
              uploadedAt: i.upload_date,
              changed: null,
            },
          ]
        : [];
    });
    const m = r.meta;
    return {
      barcode: m.barcode,
      gtin14: r.gtin14,
      brand: m.brand,
      productName: m.product_name,
      netWeight: m.net_weight,
      updatedAt: m.updated_at,
      images,
      meta: m,
    };
  }

  /** Creates or replaces a product's product_meta, as PUT /admin/v1/products/{barcode} does (same checks). */
  async saveProduct(o: Operator, barcode: string, body: Record<string, unknown>): Promise<SavedProductView> {
    const products = this.need(this.d.products);
    const code = barcode.trim();
    products.gtin14(code);
    const { meta } = parseProductMeta(body);
    const r = await products.upsert(code, meta);
    await this.audit(o, null, 'product.upsert', code, { outcome: r.outcome });
    return { barcode: code, gtin14: r.gtin14, outcome: r.outcome };
  }

  /** Stores one image of a product, as PUT /admin/v1/products/{barcode}/images/{variant} does (same limits). */
  async uploadImage(
    o: Operator,
    a: { barcode: string; variant: string; contentType: string; imageBase64: string },
  ): Promise<ProductImageView> {
    const ingest = this.need(this.d.images).ingest;
    if (a.contentType.length > 100) throw new AppError('bad_request', 'contentType: image/jpeg or image/png.');
    const b64 = a.imageBase64.replace(/^data:[^,]{0,100},/, '');
    if (b64.length > MAX_UPLOAD_B64)
      throw new AppError('payload_too_large', `The image is larger than ${IMAGE_UPLOAD_LIMIT / MIB} MiB.`);
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length > IMAGE_UPLOAD_LIMIT)
      throw new AppError('payload_too_large', `The image is larger than ${IMAGE_UPLOAD_LIMIT / MIB} MiB.`);
    const r = await ingest.ingest({
      barcode: a.barcode.trim(),
      variant: a.variant,
      bytes,
      declaredType: a.contentType,
      uploadedBy: o.email.slice(0, 200),
    });
    await this.audit(o, null, 'image.upload', `${r.barcode}/${r.variant}`, {
      sha256: r.image.sha256,
      changed: r.changed,
    });
    const i = r.image;
    return {
      variant: r.variant,
      format: i.format,
      width: i.width,
      height: i.height,
      fileSizeBytes: i.file_size_bytes,
      sha256: i.sha256,
      uploadedAt: i.upload_date,
      changed: r.changed,
    };
  }
}
