// The account data of the console (docs/console.md#operations): overview, API clients, usage, ledger and
// webhooks, read and changed for a signed-in person whose role allows it, every change audit-logged. Ids of
// another account's objects answer 404 exactly like ids that do not exist.
import { AppError } from '../../kernel/errors.ts';
import { isUtcInstant } from '../../kernel/input.ts';
import { parseCidr } from '../../kernel/ip-allowlist.ts';
import type { Principal } from '../../kernel/principal.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { ClientRow, ClientsService } from '../accounts/index.ts';
import type { LimitsModule } from '../limits/index.ts';
import type { WebhooksModule } from '../webhooks/index.ts';
import type {
  ApiClientView,
  ConsoleRequest,
  IssuedKeyView,
  LedgerPage,
  OverviewView,
  UsageView,
} from './console.views.ts';
import * as repo from './console-data.repository.ts';
import type { Member } from './people.service.ts';

type WebhookService = WebhooksModule['service'];

/** A webhook subscription as the console shows it (the webhooks module's view plus its client). */
export interface WebhookRow {
  id: string;
  clientId: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
}

export interface WebhookDeliveryRow {
  delivery_id: string;
  event: string;
  barcode: string | null;
  kind: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
}

export interface ClientInput {
  name: string;
  mode: 'live' | 'test';
  ipAllowlist?: string[] | null;
  scopeBrands?: string[] | null;
  scopeOwnerships?: string[] | null;
  expiresAt?: Date | null;
}

export interface ClientPatch {
  name?: string | null;
  enabled?: boolean | null;
  ipAllowlist?: string[] | null;
  scopeBrands?: string[] | null;
  scopeOwnerships?: string[] | null;
  expiresAt?: Date | null;
}

export interface ConsoleDataDeps {
  sql: Sql;
  clients: ClientsService;
  webhooks: WebhookService;
  /** An API client's rate-limit buckets as they stand, counting nothing (the limits module). */
  clientBudget: LimitsModule['clientBudget'];
  audit: (m: Member, action: string, target: string | null, details?: Record<string, unknown>) => Promise<void>;
  /** PUBLIC_BASE_URL when set, for the curl line; else the request's origin. */
  linkBase?: string;
}

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function checkName(n: string): string {
  const s = n.trim();
  if (s.length < 1 || s.length > 200) throw new AppError('bad_request', 'name: 1 to 200 characters.');
  return s;
}

function checkCidrs(list: string[]): string[] {
  if (list.length > 100) throw new AppError('bad_request', 'ipAllowlist: at most 100 entries.');
  for (const c of list)
    if (c.length > 64 || parseCidr(c) === null)
      throw new AppError('bad_request', `ipAllowlist: ${JSON.stringify(c.slice(0, 64))} is not an address or CIDR.`);
  return list;
}

function checkNames(field: string, list: string[] | null): string[] | null {
  if (list === null) return null;
  if (list.length < 1 || list.length > 1000) throw new AppError('bad_request', `${field}: 1 to 1000 names, or null.`);
  for (const n of list)
    if (n.trim().length < 1 || n.length > 200)
      throw new AppError('bad_request', `${field}: each name 1 to 200 characters.`);
  return list.map((n) => n.trim());
}

function checkExpiry(d: Date | null | undefined): string | null {
  if (!d) return null;
  const iso = d.toISOString();
  if (!isUtcInstant(iso.replace(/\.\d{3}Z$/, 'Z'))) throw new AppError('bad_request', 'expiresAt: not a real date.');
  return iso;
}

const hintOf = (key: string) => `${key.slice(0, 8)}…${key.slice(-4)}`;

export class ConsoleDataService {
  constructor(private readonly d: ConsoleDataDeps) {}

  /** A client of the member's account, or 404 (another account's ids look like unknown ones). */
  private async ownClient(m: Member, clientId: string): Promise<ClientRow> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(clientId)) throw new AppError('not_found', 'No API client with that id.');
    try {
      const c = await this.d.clients.getClient(clientId);
      if (c.accountId === m.accountId) return c;
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'not_found')) throw e;
    }
    throw new AppError('not_found', 'No API client with that id.');
  }

  private principalOf(c: ClientRow): Principal {
    return {
      clientId: c.clientId,
      accountId: c.accountId,
      tier: c.tier,
      mode: c.mode,
      scope: { brands: c.scopeBrands, ownerships: c.scopeOwnerships },
      limits: { perMinute: c.limitPerMinute, perDay: c.limitPerDay },
      tokenId: 'console',
    };
  }

  private async views(m: Member): Promise<ApiClientView[]> {
    const [rows, extras] = await Promise.all([
      this.d.clients.listClients(m.accountId),
      repo.clientExtras(this.d.sql, m.accountId),
    ]);
    return rows.map((c) => this.view(c, extras.get(c.clientId)));
  }

  private view(c: ClientRow, x?: { hint: string | null; lastUsedAt: Date | null }): ApiClientView {
    return {
      clientId: c.clientId,
      name: c.name,
      mode: c.mode,
      tier: c.tier,
      enabled: c.enabled,
      ipAllowlist: c.ipAllowlist,
      scopeBrands: c.scopeBrands,
      scopeOwnerships: c.scopeOwnerships,
      expiresAt: c.expiresAt,
      createdAt: c.createdAt,
      lastUsedAt: x?.lastUsedAt ?? null,
      keyHint: x?.hint ?? null,
    };
  }

  private async viewOf(m: Member, clientId: string): Promise<ApiClientView> {
    const c = await this.ownClient(m, clientId);
    const x = (await repo.clientExtras(this.d.sql, m.accountId)).get(clientId);
    return this.view(c, x);
  }

  private curl(r: ConsoleRequest, clientId: string, apiKey: string): string {
    const base = this.d.linkBase ?? r.origin;
    const body = JSON.stringify({ client_id: clientId, api_key: apiKey });
    return `curl -s -X POST ${base}/api/v1/auth/token -H 'Content-Type: application/json' -d '${body}'`;
  }

  async overview(m: Member): Promise<OverviewView> {
    const [s, clients] = await Promise.all([
      repo.spend(this.d.sql, m.accountId),
      this.d.clients.listClients(m.accountId),
    ]);
    return {
      balance: s.balance,
      spentToday: s.today,
      spentThisMonth: s.month,
      asOf: s.asOf,
      series: s.series,
      budgets: await Promise.all(
        clients.map(async (c) => {
          const buckets = await this.d.clientBudget({
            clientId: c.clientId,
            tier: c.tier,
            limits: { perMinute: c.limitPerMinute, perDay: c.limitPerDay },
          });
          const bucket = (name: 'minute' | 'day') => {
            const b = buckets.find((x) => x.name === name) as (typeof buckets)[number];
            return { limit: b.limit, remaining: b.remaining, reset: new Date(b.resetAt * 1000) };
          };
          return { clientId: c.clientId, name: c.name, mode: c.mode, minute: bucket('minute'), day: bucket('day') };
        }),
      ),
    };
  }

  clients(m: Member): Promise<ApiClientView[]> {
    return this.views(m);
  }

  async usage(m: Member, q: { from?: Date | null; to?: Date | null }): Promise<UsageView> {
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - 29 * DAY_MS);
    if (from > to) throw new AppError('bad_request', 'from: must not be after to.');
    if (to.getTime() - from.getTime() > 366 * DAY_MS) throw new AppError('bad_request', 'At most 366 days at once.');
    const rows = await repo.usageLines(this.d.sql, m.accountId, isoDay(from), isoDay(to));
    let totalRequests = 0n;
    let totalAmount = 0n;
    for (const r of rows) {
      if (r.mode === 'live') totalAmount += r.amount;
      totalRequests += r.requests;
    }
    return { from: isoDay(from), to: isoDay(to), rows, totalRequests, totalAmount };
  }

  async ledger(m: Member, q: { first?: number | null; before?: string | null }): Promise<LedgerPage> {
    const first = q.first ?? 100;
    if (!Number.isInteger(first) || first < 1 || first > 500) throw new AppError('bad_request', 'first: 1 to 500.');
    if (q.before != null && !/^[0-9]{1,18}$/.test(q.before))
      throw new AppError('bad_request', 'before: the nextBefore of a page.');
    const entries = await repo.ledgerPage(this.d.sql, m.accountId, first, q.before ?? null);
    return { entries, nextBefore: entries.length === first ? entries[entries.length - 1].id : null };
  }

  async createClient(r: ConsoleRequest, m: Member, input: ClientInput): Promise<IssuedKeyView> {
    const name = checkName(input.name);
    const expires = checkExpiry(input.expiresAt);
    const { client, apiKey } = await this.d.clients.createClient(m.accountId, {
      name,
      tier: 'free',
      mode: input.mode,
      ip_allowlist: checkCidrs(input.ipAllowlist ?? []),
      scope:
        input.scopeBrands || input.scopeOwnerships
          ? {
              brands: checkNames('scopeBrands', input.scopeBrands ?? null),
              ownerships: checkNames('scopeOwnerships', input.scopeOwnerships ?? null),
            }
          : null,
      expires_at: expires,
    });
    await repo.setKeyHint(this.d.sql, client.clientId, hintOf(apiKey));
    await this.d.audit(m, 'client.create', client.clientId, { name, mode: input.mode });
    return {
      client: await this.viewOf(m, client.clientId),
      apiKey,
      curl: this.curl(r, client.clientId, apiKey),
      previousKeyValidUntil: null,
      sessionsEndedAt: null,
    };
  }

  async updateClient(_r: ConsoleRequest, m: Member, id: string, p: ClientPatch): Promise<ApiClientView> {
    const cur = await this.ownClient(m, id);
    const patch: Parameters<ClientsService['updateClient']>[1] = {};
    const changed: Record<string, unknown> = {};
    if (p.name != null) changed.name = patch.name = checkName(p.name);
    if (p.enabled != null) changed.enabled = patch.enabled = p.enabled;
    if (p.ipAllowlist != null) changed.ip_allowlist = patch.ip_allowlist = checkCidrs(p.ipAllowlist);
    if (p.scopeBrands !== undefined || p.scopeOwnerships !== undefined) {
      patch.scope = {
        brands: p.scopeBrands === undefined ? cur.scopeBrands : checkNames('scopeBrands', p.scopeBrands),
        ownerships:
          p.scopeOwnerships === undefined ? cur.scopeOwnerships : checkNames('scopeOwnerships', p.scopeOwnerships),
      };
      changed.scope = patch.scope;
    }
    if (p.expiresAt !== undefined) changed.expires_at = patch.expires_at = checkExpiry(p.expiresAt);
    await this.d.clients.updateClient(cur.clientId, patch);
    await this.d.audit(m, p.enabled === false ? 'client.disable' : 'client.update', cur.clientId, changed);
    return this.viewOf(m, cur.clientId);
  }

  async rotateKey(r: ConsoleRequest, m: Member, id: string, now: boolean): Promise<IssuedKeyView> {
    const cur = await this.ownClient(m, id);
    const out = await this.d.clients.rotateKey(cur.clientId, { retirePreviousNow: now });
    await repo.setKeyHint(this.d.sql, cur.clientId, hintOf(out.apiKey));
    await this.d.audit(m, 'client.rotate_key', cur.clientId, { retire_previous_now: now });
    return {
      client: await this.viewOf(m, cur.clientId),
      apiKey: out.apiKey,
      curl: this.curl(r, cur.clientId, out.apiKey),
      previousKeyValidUntil: now ? null : out.previousKeyValidUntil,
      sessionsEndedAt: out.sessionsEnded?.endedAt ?? null,
    };
  }

  async revokeSessions(_r: ConsoleRequest, m: Member, id: string): Promise<ApiClientView> {
    const cur = await this.ownClient(m, id);
    await this.d.clients.revokeSessions(cur.clientId);
    await this.d.audit(m, 'client.revoke_sessions', cur.clientId);
    return this.viewOf(m, cur.clientId);
  }

  // Webhooks: through the webhooks module's service, acting as the client that owns the subscription.

  async webhooks(m: Member): Promise<WebhookRow[]> {
    const out: WebhookRow[] = [];
    for (const c of await this.d.clients.listClients(m.accountId)) {
      for (const w of await this.d.webhooks.list(this.principalOf(c))) out.push({ ...w, clientId: c.clientId });
    }
    return out;
  }

  /** The owning client of a webhook of the member's account, or 404. */
  private async ownWebhook(m: Member, id: string): Promise<{ p: Principal; clientId: string }> {
    const w = await this.d.webhooks.adminGet(id.slice(0, 64));
    const c = await this.ownClient(m, w.client_id).catch(() => {
      throw new AppError('not_found', 'No webhook with that id.');
    });
    return { p: this.principalOf(c), clientId: c.clientId };
  }

  async webhookDeliveries(m: Member, id: string, limit: number): Promise<WebhookDeliveryRow[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new AppError('bad_request', 'limit: 1 to 100.');
    const { p } = await this.ownWebhook(m, id);
    return this.d.webhooks.deliveries(p, id, { limit });
  }

  async createWebhook(
    _r: ConsoleRequest,
    m: Member,
    clientId: string,
    body: { url: string; events: string[] },
  ): Promise<{ webhook: WebhookRow; secret: string }> {
    const c = await this.ownClient(m, clientId);
    const out = await this.d.webhooks.create(this.principalOf(c), body);
    await this.d.audit(m, 'webhook.create', out.webhook.id, {
      client_id: c.clientId,
      url: body.url,
      events: body.events,
    });
    return { webhook: { ...out.webhook, clientId: c.clientId }, secret: out.secret };
  }

  async updateWebhook(_r: ConsoleRequest, m: Member, id: string, body: Record<string, unknown>): Promise<WebhookRow> {
    const { p, clientId } = await this.ownWebhook(m, id);
    const w = await this.d.webhooks.update(p, id, body);
    await this.d.audit(m, 'webhook.update', id, body);
    return { ...w, clientId };
  }

  async deleteWebhook(_r: ConsoleRequest, m: Member, id: string): Promise<boolean> {
    const { p } = await this.ownWebhook(m, id);
    await this.d.webhooks.remove(p, id);
    await this.d.audit(m, 'webhook.delete', id);
    return true;
  }

  async testWebhook(_r: ConsoleRequest, m: Member, id: string): Promise<WebhookDeliveryRow> {
    const { p } = await this.ownWebhook(m, id);
    const d = await this.d.webhooks.test(p, id);
    await this.d.audit(m, 'webhook.test', id, { status: d.status });
    return d;
  }

  async replayWebhook(_r: ConsoleRequest, m: Member, id: string, since: Date): Promise<number> {
    const { p } = await this.ownWebhook(m, id);
    const out = await this.d.webhooks.replay(p, id, { since: since.toISOString() });
    await this.d.audit(m, 'webhook.replay', id, { since: since.toISOString(), queued: out.queued });
    return out.queued;
  }

  /** A new signing secret, shown once; the old one keeps signing beside it for the overlap (docs/webhooks.md). */
  async rotateWebhookSecret(
    _r: ConsoleRequest,
    m: Member,
    id: string,
  ): Promise<{ webhook: WebhookRow; secret: string; previousSecretValidUntil: string | null }> {
    const { p, clientId } = await this.ownWebhook(m, id);
    const out = await this.d.webhooks.rotateSecret(p, id);
    await this.d.audit(m, 'webhook.rotate_secret', id, { previous_valid_until: out.previous_secret_valid_until });
    return {
      webhook: { ...out.webhook, clientId },
      secret: out.secret,
      previousSecretValidUntil: out.previous_secret_valid_until,
    };
  }
}
