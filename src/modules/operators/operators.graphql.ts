// The operator console's fields (docs/console.md#operators): sign-in with password and TOTP, then find
// accounts, grant credits, confirm top-ups, edit prices and packages, trace an image URL, identify a leaked
// image, and watch webhook health. Every field needs the operator session cookie (a console person's or an
// API token is refused), mutations the CSRF header; every action is audit-logged.
import type { Builder } from '../../platform/graphql/builder.ts';
import { free } from '../../platform/graphql/field-access.ts';
import { operatorDoor } from '../../platform/graphql/field-doors.ts';
import { consoleRequest } from '../people/index.ts';
import type { TopUpRefs } from '../topups/index.ts';
import type { OperatorsService } from './operators.service.ts';
import type {
  AccountSummaryView,
  IdentifyView,
  OperatorSessionView,
  TraceView,
  WebhookHealthView,
} from './operators.views.ts';

declare module '../../platform/graphql/context.ts' {
  interface GraphQLServices {
    operators: OperatorsService;
  }
}

// Free, no API token, and served by the operator console's door (docs/console.md#operators).
const F = () => ({ ...free({ token: false }), ...operatorDoor });

export function operatorsGraphql(
  builder: Builder,
  refs: Pick<TopUpRefs, 'PackageType' | 'TopUpType' | 'TopUpStatusEnum'>,
) {
  const { PackageType, TopUpType, TopUpStatusEnum } = refs;

  const SessionType = builder.objectRef<OperatorSessionView>('OperatorSession').implement({
    description: 'The signed-in operator. Send `csrfToken` as X-CSRF-Token with every operator mutation.',
    fields: (t) => ({
      operatorId: t.exposeID('operatorId'),
      email: t.exposeString('email'),
      csrfToken: t.exposeString('csrfToken'),
      expiresAt: t.field({ type: 'DateTime', resolve: (s) => s.expiresAt }),
    }),
  });

  const AccountType = builder.objectRef<AccountSummaryView>('OperatorAccount').implement({
    fields: (t) => ({
      accountId: t.exposeID('accountId'),
      name: t.exposeString('name'),
      balance: t.field({ type: 'Credits', resolve: (a) => a.balance }),
      createdAt: t.field({ type: 'DateTime', resolve: (a) => a.createdAt }),
      owners: t.exposeStringList('owners', { description: 'E-mails of the owners.' }),
      clients: t.exposeInt('clients', { description: 'Number of API clients.' }),
    }),
  });

  const TraceType = builder.objectRef<TraceView>('OperatorImageTrace').implement({
    description: 'Who was issued a signed image URL, when, from which IP, and whether it was redeemed.',
    fields: (t) => ({
      grantId: t.exposeString('grantId'),
      clientId: t.exposeString('clientId'),
      accountId: t.exposeString('accountId'),
      barcode: t.exposeString('barcode'),
      variant: t.exposeString('variant'),
      size: t.exposeString('size'),
      format: t.exposeString('format'),
      ip: t.exposeString('ip'),
      issuedAt: t.field({ type: 'DateTime', resolve: (r) => r.issuedAt }),
      expiresAt: t.field({ type: 'DateTime', resolve: (r) => r.expiresAt }),
      redeemed: t.exposeBoolean('redeemed'),
      redeemedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.redeemedAt }),
      redeemedIp: t.string({ nullable: true, resolve: (r) => r.redeemedIp }),
    }),
  });

  const IdentifyType = builder.objectRef<IdentifyView>('OperatorIdentification').implement({
    description: 'Which product image a (leaked) file is, and the API client it was delivered to.',
    fields: (t) => ({
      barcode: t.string({ nullable: true, resolve: (r) => r.barcode }),
      variant: t.string({ nullable: true, resolve: (r) => r.variant }),
      clientId: t.string({ nullable: true, description: 'null: no client mark found.', resolve: (r) => r.clientId }),
      accountId: t.string({ nullable: true, resolve: (r) => r.accountId }),
      grantId: t.string({ nullable: true, resolve: (r) => r.grantId }),
      confidence: t.float({ nullable: true, resolve: (r) => r.confidence }),
      imageSimilarity: t.float({ nullable: true, resolve: (r) => r.imageSimilarity }),
    }),
  });

  const HealthType = builder.objectRef<WebhookHealthView>('OperatorWebhookHealth').implement({
    description: 'Webhook deliveries in the kept log, by state (all nodes).',
    fields: (t) => ({
      queued: t.exposeInt('queued'),
      retrying: t.exposeInt('retrying'),
      delivered: t.exposeInt('delivered'),
      failed: t.exposeInt('failed'),
    }),
  });

  const PriceInput = builder.inputType('OperatorPriceInput', {
    fields: (t) => ({
      action: t.string({ required: true, description: 'e.g. products.get' }),
      credits: t.field({ type: 'Credits', required: true }),
    }),
  });

  const PackageInput = builder.inputType('OperatorPackageInput', {
    fields: (t) => ({
      packageId: t.string({ required: true, description: '1–40 of a-z 0-9 _ -; an existing id is updated.' }),
      credits: t.field({ type: 'Credits', required: true }),
      price: t.string({ required: true, description: 'Decimal, at most 2 places.' }),
      currency: t.string({ required: true, description: 'ISO 4217 (3 letters).' }),
      active: t.boolean({ required: true }),
    }),
  });

  const op = (c: Parameters<typeof consoleRequest>[0], mutation: boolean) =>
    c.services.operators.operator(consoleRequest(c), mutation);

  builder.queryFields((t) => ({
    operatorSession: t.field({
      extensions: F(),
      type: SessionType,
      nullable: true,
      description: 'The signed-in operator of the operator session cookie, or null.',
      resolve: (_r, _a, c) => c.services.operators.currentSession(consoleRequest(c)),
    }),
    operatorAccounts: t.field({
      extensions: F(),
      type: [AccountType],
      description: 'Accounts whose id, name or member e-mail contains `search` (newest first).',
      args: {
        search: t.arg.string({ required: false }),
        first: t.arg.int({ required: false, description: '1 to 200, default 50.' }),
      },
      resolve: async (_r, a, c) =>
        c.services.operators.accounts(await op(c, false), { search: a.search, first: a.first }),
    }),
    operatorTopUps: t.field({
      extensions: F(),
      type: [TopUpType],
      args: {
        status: t.arg({ type: TopUpStatusEnum, required: false }),
        first: t.arg.int({ required: false, description: '1 to 200, default 100.' }),
      },
      resolve: async (_r, a, c) => {
        await op(c, false);
        return c.services.topups.listAll(a.status ?? null, a.first ?? 100);
      },
    }),
    operatorPackages: t.field({
      extensions: F(),
      type: [PackageType],
      description: 'Every package, inactive ones included.',
      resolve: async (_r, _a, c) => {
        await op(c, false);
        return c.services.topups.packages(true);
      },
    }),
    operatorWebhookHealth: t.field({
      extensions: F(),
      type: HealthType,
      resolve: async (_r, _a, c) => c.services.operators.webhookHealth(await op(c, false)),
    }),
    operatorTraceImage: t.field({
      extensions: F(),
      type: TraceType,
      description: 'Opens a signed image URL (or its token) and reports its grant.',
      args: { url: t.arg.string({ required: true }) },
      resolve: async (_r, a, c) => c.services.operators.trace(await op(c, false), a.url),
    }),
  }));

  builder.mutationFields((t) => ({
    operatorSignIn: t.field({
      extensions: F(),
      type: SessionType,
      description: 'Password plus the current TOTP code (RFC 6238, 6 digits, 30 s). Sets the operator cookie.',
      args: {
        email: t.arg.string({ required: true }),
        password: t.arg.string({ required: true }),
        totp: t.arg.string({ required: true }),
      },
      resolve: (_r, a, c) => c.services.operators.signIn(consoleRequest(c), a),
    }),
    operatorSignOut: t.field({
      extensions: F(),
      type: 'Boolean',
      resolve: async (_r, _a, c) => c.services.operators.signOut(consoleRequest(c), await op(c, true)),
    }),
    operatorGrantCredits: t.field({
      extensions: F(),
      type: 'Credits',
      description: 'Grants (or, negative, takes back) credits once per idempotencyKey; returns the balance.',
      args: {
        accountId: t.arg.id({ required: true }),
        amount: t.arg({ type: 'Credits', required: true }),
        reason: t.arg.string({ required: true }),
        idempotencyKey: t.arg.string({ required: true }),
      },
      resolve: async (_r, a, c) =>
        c.services.operators.grantCredits(await op(c, true), { ...a, accountId: String(a.accountId) }),
    }),
    operatorConfirmTopUp: t.field({
      extensions: F(),
      type: TopUpType,
      description: 'Payment arrived: credits the account once (confirming again changes nothing).',
      args: { topUpId: t.arg.id({ required: true }) },
      resolve: async (_r, a, c) => c.services.topups.confirm(await op(c, true), String(a.topUpId)),
    }),
    operatorRejectTopUp: t.field({
      extensions: F(),
      type: TopUpType,
      args: { topUpId: t.arg.id({ required: true }), note: t.arg.string({ required: true }) },
      resolve: async (_r, a, c) => c.services.topups.reject(await op(c, true), String(a.topUpId), a.note),
    }),
    operatorSavePackage: t.field({
      extensions: F(),
      type: PackageType,
      args: { input: t.arg({ type: PackageInput, required: true }) },
      resolve: async (_r, a, c) => c.services.topups.savePackage(await op(c, true), a.input),
    }),
    operatorSetPrices: t.field({
      extensions: F(),
      type: 'DateTime',
      description: 'Sets per-action rates (every node within 5 s); returns the pricing’s updated_at.',
      args: { prices: t.arg({ type: [PriceInput], required: true }) },
      resolve: async (_r, a, c) => c.services.operators.setPrices(await op(c, true), a.prices),
    }),
    operatorIdentifyImage: t.field({
      extensions: F(),
      type: IdentifyType,
      description:
        'Identifies a leaked image from its bytes (base64, at most 700 KB of image in the 1 MiB body; larger files: POST /admin/v1/identify).',
      args: { imageBase64: t.arg.string({ required: true }) },
      resolve: async (_r, a, c) => c.services.operators.identify(await op(c, true), a.imageBase64),
    }),
  }));
}
