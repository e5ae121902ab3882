// The console's account data (docs/console.md#operations): overview, API clients and their keys, usage, ledger
// and webhooks, for the signed-in person of the session cookie, by role. Free; a bearer API token is refused;
// nothing here changes what an API client is billed. CSV exports: GET /console/usage.csv and /console/ledger.csv.
import type { Builder } from '../../platform/graphql/builder.ts';
import { free } from '../../platform/graphql/field-access.ts';
import type { TierRef } from '../billing/index.ts';
import type {
  ApiClientView,
  BucketView,
  ClientBudgetView,
  IssuedKeyView,
  LedgerEntryView,
  LedgerPage,
  OverviewView,
  UsageRowView,
  UsageView,
} from './console.views.ts';
import type { ConsoleDataService, WebhookDeliveryRow, WebhookRow } from './console-data.service.ts';
import { consoleRequest } from './console-request.ts';

declare module '../../platform/graphql/context.ts' {
  interface GraphQLServices {
    consoleData: ConsoleDataService;
  }
}

const F = () => free({ token: false });

export function consoleDataGraphql(builder: Builder, { TierEnum }: { TierEnum: TierRef }) {
  const ModeEnum = builder.enumType('ConsoleClientMode', {
    description: 'live spends the balance on the live catalog; test reads the sandbox and moves no credit.',
    values: { LIVE: { value: 'live' }, TEST: { value: 'test' } } as const,
  });

  const BucketType = builder.objectRef<BucketView>('ConsoleRateBucket').implement({
    fields: (t) => ({
      limit: t.exposeInt('limit'),
      remaining: t.int({
        nullable: true,
        description:
          'Requests left in the current window, as GET /api/v1/account shows them (read without counting this read).',
        resolve: (b) => b.remaining,
      }),
      reset: t.field({
        type: 'DateTime',
        description: 'When the window ends and the bucket refills.',
        resolve: (b) => b.reset,
      }),
    }),
  });

  const BudgetType = builder.objectRef<ClientBudgetView>('ConsoleClientBudget').implement({
    description: 'The rate-limit budget of one API client.',
    fields: (t) => ({
      clientId: t.exposeID('clientId'),
      name: t.exposeString('name'),
      mode: t.field({ type: ModeEnum, resolve: (b) => b.mode }),
      minute: t.field({ type: BucketType, resolve: (b) => b.minute }),
      day: t.field({ type: BucketType, description: 'UTC day.', resolve: (b) => b.day }),
    }),
  });

  const SpendDayType = builder.objectRef<OverviewView['series'][number]>('ConsoleSpendDay').implement({
    fields: (t) => ({
      day: t.field({ type: 'Date', resolve: (d) => d.day }),
      amount: t.field({ type: 'Credits', resolve: (d) => d.amount }),
      requests: t.int({ resolve: (d) => Number(d.requests) }),
    }),
  });

  const OverviewType = builder.objectRef<OverviewView>('ConsoleOverview').implement({
    fields: (t) => ({
      balance: t.field({ type: 'Credits', resolve: (o) => o.balance }),
      spentToday: t.field({ type: 'Credits', description: 'UTC day.', resolve: (o) => o.spentToday }),
      spentThisMonth: t.field({ type: 'Credits', description: 'UTC month.', resolve: (o) => o.spentThisMonth }),
      asOf: t.field({ type: 'DateTime', resolve: (o) => o.asOf }),
      spendSeries: t.field({
        type: [SpendDayType],
        description: 'The last 30 UTC days of live spend, oldest first, one entry per day (zeros included).',
        resolve: (o) => o.series,
      }),
      rateLimits: t.field({ type: [BudgetType], resolve: (o) => o.budgets }),
    }),
  });

  const ApiClientType = builder.objectRef<ApiClientView>('ConsoleApiClient').implement({
    description: 'An API client (machine credentials) of the account.',
    fields: (t) => ({
      clientId: t.exposeID('clientId'),
      name: t.exposeString('name'),
      mode: t.field({ type: ModeEnum, resolve: (v) => v.mode }),
      tier: t.field({ type: TierEnum, resolve: (v) => v.tier }),
      enabled: t.exposeBoolean('enabled'),
      ipAllowlist: t.stringList({ description: 'CIDRs; empty: any address.', resolve: (v) => v.ipAllowlist }),
      scopeBrands: t.stringList({ nullable: true, description: 'null: every brand.', resolve: (v) => v.scopeBrands }),
      scopeOwnerships: t.stringList({ nullable: true, resolve: (v) => v.scopeOwnerships }),
      expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.expiresAt }),
      createdAt: t.field({ type: 'DateTime', resolve: (v) => v.createdAt }),
      lastUsedAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'The last token exchange or billed call.',
        resolve: (v) => v.lastUsedAt,
      }),
      keyHint: t.string({
        nullable: true,
        description: 'The start and last 4 characters of the current key (null for keys made outside the console).',
        resolve: (v) => v.keyHint,
      }),
    }),
  });

  const IssuedKeyType = builder.objectRef<IssuedKeyView>('ConsoleIssuedKey').implement({
    description: 'A new API key. Shown only here: store it safely.',
    fields: (t) => ({
      client: t.field({ type: ApiClientType, resolve: (k) => k.client }),
      apiKey: t.exposeString('apiKey'),
      curl: t.exposeString('curl', { description: 'A ready token exchange with this key.' }),
      previousKeyValidUntil: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'After a rotation with overlap: when the previous key stops working.',
        resolve: (k) => k.previousKeyValidUntil,
      }),
      sessionsEndedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.sessionsEndedAt }),
    }),
  });

  const UsageRowType = builder.objectRef<UsageRowView>('ConsoleUsageRow').implement({
    fields: (t) => ({
      day: t.field({ type: 'Date', resolve: (r) => r.day }),
      clientId: t.string({ nullable: true, resolve: (r) => r.clientId }),
      clientName: t.string({ nullable: true, resolve: (r) => r.clientName }),
      mode: t.field({ type: ModeEnum, resolve: (r) => r.mode }),
      action: t.exposeString('action'),
      scope: t.string({ nullable: true, description: 'productMeta / imageMeta reads.', resolve: (r) => r.scope }),
      variant: t.string({ nullable: true, description: 'Image variant.', resolve: (r) => r.variant }),
      requests: t.int({ resolve: (r) => Number(r.requests) }),
      units: t.int({ resolve: (r) => Number(r.units) }),
      amount: t.field({
        type: 'Credits',
        description: 'Computed bill (test rows move no credit).',
        resolve: (r) => r.amount,
      }),
    }),
  });

  const UsageType = builder.objectRef<UsageView>('ConsoleUsage').implement({
    fields: (t) => ({
      from: t.field({ type: 'Date', resolve: (u) => u.from }),
      to: t.field({ type: 'Date', resolve: (u) => u.to }),
      rows: t.field({ type: [UsageRowType], resolve: (u) => u.rows }),
      totalRequests: t.int({ resolve: (u) => Number(u.totalRequests) }),
      totalAmount: t.field({ type: 'Credits', description: 'Live rows only.', resolve: (u) => u.totalAmount }),
    }),
  });

  const LedgerEntryType = builder.objectRef<LedgerEntryView>('ConsoleLedgerEntry').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
      kind: t.exposeString('kind', { description: 'debit, grant or adjustment.' }),
      amount: t.field({ type: 'Credits', description: 'Signed: debits are negative.', resolve: (e) => e.amount }),
      balanceAfter: t.field({ type: 'Credits', resolve: (e) => e.balanceAfter }),
      clientId: t.string({ nullable: true, resolve: (e) => e.clientId }),
      requestId: t.string({ nullable: true, resolve: (e) => e.requestId }),
      reason: t.string({
        nullable: true,
        description: 'Grants: why (a top-up names its id).',
        resolve: (e) => e.reason,
      }),
    }),
  });

  const LedgerPageType = builder.objectRef<LedgerPage>('ConsoleLedgerPage').implement({
    fields: (t) => ({
      entries: t.field({ type: [LedgerEntryType], resolve: (p) => p.entries }),
      nextBefore: t.string({ nullable: true, resolve: (p) => p.nextBefore }),
    }),
  });

  const DeliveryType = builder.objectRef<WebhookDeliveryRow>('ConsoleWebhookDelivery').implement({
    fields: (t) => ({
      deliveryId: t.exposeID('delivery_id'),
      event: t.exposeString('event'),
      barcode: t.string({ nullable: true, resolve: (d) => d.barcode }),
      kind: t.exposeString('kind'),
      status: t.exposeString('status', { description: 'pending, delivered or failed.' }),
      attempts: t.exposeInt('attempts'),
      lastStatusCode: t.int({ nullable: true, resolve: (d) => d.last_status_code }),
      lastError: t.string({ nullable: true, resolve: (d) => d.last_error }),
      createdAt: t.field({ type: 'DateTime', resolve: (d) => d.created_at }),
      completedAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.completed_at }),
    }),
  });

  const WebhookType = builder.objectRef<WebhookRow>('ConsoleWebhook').implement({
    description: 'A webhook subscription of one of the account’s API clients.',
    fields: (t) => ({
      id: t.exposeID('id'),
      clientId: t.exposeString('clientId'),
      url: t.exposeString('url'),
      events: t.exposeStringList('events'),
      enabled: t.exposeBoolean('enabled'),
      disabledReason: t.string({ nullable: true, resolve: (w) => w.disabled_reason }),
      failingSince: t.field({ type: 'DateTime', nullable: true, resolve: (w) => w.failing_since }),
      createdAt: t.field({ type: 'DateTime', resolve: (w) => w.created_at }),
      deliveries: t.field({
        type: [DeliveryType],
        description: 'The delivery log, newest first.',
        args: { limit: t.arg.int({ required: false, description: '1 to 100, default 50.' }) },
        resolve: async (w, a, c) =>
          c.services.consoleData.webhookDeliveries(
            await c.services.people.member(consoleRequest(c), 'read'),
            w.id,
            a.limit ?? 50,
          ),
      }),
    }),
  });

  const CreatedWebhookType = builder
    .objectRef<{ webhook: WebhookRow; secret: string; previousSecretValidUntil?: string | null }>(
      'ConsoleWebhookSecret',
    )
    .implement({
      fields: (t) => ({
        webhook: t.field({ type: WebhookType, resolve: (r) => r.webhook }),
        secret: t.exposeString('secret', { description: 'whsec_…, shown only here.' }),
        previousSecretValidUntil: t.field({
          type: 'DateTime',
          nullable: true,
          description:
            'After a rotation: until then every delivery is signed with the previous secret too (two `v1,` ' +
            'signatures in `webhook-signature`). Null for a new webhook.',
          resolve: (r) => r.previousSecretValidUntil ?? null,
        }),
      }),
    });

  const ClientInput = builder.inputType('ConsoleApiClientInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      mode: t.field({ type: ModeEnum, required: true }),
      ipAllowlist: t.stringList({ description: 'CIDRs; at most 100.' }),
      scopeBrands: t.stringList(),
      scopeOwnerships: t.stringList(),
      expiresAt: t.field({ type: 'DateTime' }),
    }),
  });

  const ClientPatch = builder.inputType('ConsoleApiClientPatch', {
    fields: (t) => ({
      name: t.string(),
      enabled: t.boolean({ description: 'false also ends every session of the client.' }),
      ipAllowlist: t.stringList(),
      scopeBrands: t.stringList({ description: 'null: every brand.' }),
      scopeOwnerships: t.stringList(),
      expiresAt: t.field({ type: 'DateTime', description: 'null: never.' }),
    }),
  });

  const m = async (c: Parameters<typeof consoleRequest>[0], need: 'read' | 'keys' | 'billing') =>
    c.services.people.member(consoleRequest(c), need);

  builder.queryFields((t) => ({
    consoleOverview: t.field({
      extensions: F(),
      type: OverviewType,
      resolve: async (_r, _a, c) => c.services.consoleData.overview(await m(c, 'read')),
    }),
    consoleApiClients: t.field({
      extensions: F(),
      type: [ApiClientType],
      resolve: async (_r, _a, c) => c.services.consoleData.clients(await m(c, 'read')),
    }),
    consoleUsage: t.field({
      extensions: F(),
      type: UsageType,
      description:
        'Usage per UTC day × client × action/scope/variant (default: the last 30 days). Same numbers as /usage.',
      args: { from: t.arg({ type: 'Date', required: false }), to: t.arg({ type: 'Date', required: false }) },
      resolve: async (_r, a, c) => c.services.consoleData.usage(await m(c, 'read'), { from: a.from, to: a.to }),
    }),
    consoleLedger: t.field({
      extensions: F(),
      type: LedgerPageType,
      description: 'Every debit and grant, newest first.',
      args: {
        first: t.arg.int({ required: false, description: '1 to 500, default 100.' }),
        before: t.arg.string({ required: false }),
      },
      resolve: async (_r, a, c) =>
        c.services.consoleData.ledger(await m(c, 'read'), { first: a.first, before: a.before }),
    }),
    consoleWebhooks: t.field({
      extensions: F(),
      type: [WebhookType],
      description: 'The webhook subscriptions of every API client of the account.',
      resolve: async (_r, _a, c) => c.services.consoleData.webhooks(await m(c, 'read')),
    }),
  }));

  builder.mutationFields((t) => ({
    consoleCreateApiClient: t.field({
      extensions: F(),
      type: IssuedKeyType,
      description: 'Creates an API client (owner, developer; e-mail verified). Its key is shown once.',
      args: { input: t.arg({ type: ClientInput, required: true }) },
      resolve: async (_r, a, c) => c.services.consoleData.createClient(consoleRequest(c), await m(c, 'keys'), a.input),
    }),
    consoleUpdateApiClient: t.field({
      extensions: F(),
      type: ApiClientType,
      args: { clientId: t.arg.id({ required: true }), patch: t.arg({ type: ClientPatch, required: true }) },
      resolve: async (_r, a, c) =>
        c.services.consoleData.updateClient(consoleRequest(c), await m(c, 'keys'), String(a.clientId), a.patch),
    }),
    consoleRotateApiKey: t.field({
      extensions: F(),
      type: IssuedKeyType,
      description:
        'Issues a new key. Default: the previous key keeps working for the overlap; retirePreviousNow ends it and every session at once.',
      args: { clientId: t.arg.id({ required: true }), retirePreviousNow: t.arg.boolean({ required: false }) },
      resolve: async (_r, a, c) =>
        c.services.consoleData.rotateKey(
          consoleRequest(c),
          await m(c, 'keys'),
          String(a.clientId),
          a.retirePreviousNow === true,
        ),
    }),
    consoleRevokeApiClientSessions: t.field({
      extensions: F(),
      type: ApiClientType,
      description: 'Ends every access and refresh token of the client.',
      args: { clientId: t.arg.id({ required: true }) },
      resolve: async (_r, a, c) =>
        c.services.consoleData.revokeSessions(consoleRequest(c), await m(c, 'keys'), String(a.clientId)),
    }),
    consoleCreateWebhook: t.field({
      extensions: F(),
      type: CreatedWebhookType,
      args: {
        clientId: t.arg.id({ required: true }),
        url: t.arg.string({ required: true }),
        events: t.arg.stringList({ required: true, description: 'product.created, product.updated, …' }),
      },
      resolve: async (_r, a, c) =>
        c.services.consoleData.createWebhook(consoleRequest(c), await m(c, 'keys'), String(a.clientId), {
          url: a.url,
          events: a.events,
        }),
    }),
    consoleUpdateWebhook: t.field({
      extensions: F(),
      type: WebhookType,
      args: {
        id: t.arg.id({ required: true }),
        url: t.arg.string({ required: false }),
        events: t.arg.stringList({ required: false }),
        enabled: t.arg.boolean({ required: false }),
      },
      resolve: async (_r, a, c) => {
        const body: Record<string, unknown> = {};
        if (a.url != null) body.url = a.url;
        if (a.events != null) body.events = a.events;
        if (a.enabled != null) body.enabled = a.enabled;
        return c.services.consoleData.updateWebhook(consoleRequest(c), await m(c, 'keys'), String(a.id), body);
      },
    }),
    consoleDeleteWebhook: t.field({
      extensions: F(),
      type: 'Boolean',
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, c) =>
        c.services.consoleData.deleteWebhook(consoleRequest(c), await m(c, 'keys'), String(a.id)),
    }),
    consoleTestWebhook: t.field({
      extensions: F(),
      type: DeliveryType,
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, c) =>
        c.services.consoleData.testWebhook(consoleRequest(c), await m(c, 'keys'), String(a.id)),
    }),
    consoleReplayWebhook: t.field({
      extensions: F(),
      type: 'Int',
      description: 'Queues again every kept event since `since`; returns how many.',
      args: { id: t.arg.id({ required: true }), since: t.arg({ type: 'DateTime', required: true }) },
      resolve: async (_r, a, c) =>
        c.services.consoleData.replayWebhook(consoleRequest(c), await m(c, 'keys'), String(a.id), a.since),
    }),
    consoleRotateWebhookSecret: t.field({
      extensions: F(),
      type: CreatedWebhookType,
      description: 'A new signing secret; deliveries are signed with both until the overlap ends.',
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, a, c) =>
        c.services.consoleData.rotateWebhookSecret(consoleRequest(c), await m(c, 'keys'), String(a.id)),
    }),
  }));

  return { ModeEnum };
}
