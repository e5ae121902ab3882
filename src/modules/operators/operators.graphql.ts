// The operator console's fields (docs/console.md#operators): sign-in with password and TOTP, then find
// accounts, grant credits, confirm top-ups, edit prices and packages, save products and upload their images (the
// admin API's services), trace an image URL, identify a leaked image, and watch webhook health. Every field needs
// the operator session cookie (a console person's or an API token is refused), mutations the CSRF header; every
// action is audit-logged. Every field is marked for the operator door (/admin/graphql; with ADMIN_PORT, only there).
import type { Builder } from '../../platform/graphql/builder.ts';
import { free } from '../../platform/graphql/field-access.ts';
import { operatorDoor } from '../../platform/graphql/field-doors.ts';
import { type Hechsher, NUTRIENT_KEYS, type NutritionFacts } from '../catalog/index.ts';
import { consoleRequest } from '../people/index.ts';
import type { TopUpRefs } from '../topups/index.ts';
import type { OperatorsService } from './operators.service.ts';
import type {
  AccountSummaryView,
  IdentifyView,
  OperatorSessionView,
  ProductImageView,
  ProductView,
  SavedProductView,
  TraceView,
  WebhookHealthView,
} from './operators.views.ts';

declare module '../../platform/graphql/context.ts' {
  interface GraphQLServices {
    operators: OperatorsService;
  }
}

// Free, no API token, and served by the operator console's door (docs/console.md#operators).
const camel = (k: string) => k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** The GraphQL input (camelCase) as the admin API's product_meta body (snake_case), checked by the same schema. */
function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => [snake(k), snakeKeys(x)]),
  );
}

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
      retries: t.exposeInt('retries', { description: 'Attempts beyond each delivery’s first.' }),
      oldestDueSeconds: t.float({
        nullable: true,
        description:
          'How long the oldest due delivery has waited (null: none is due); a growing value means a stuck queue.',
        resolve: (h) => h.oldestDueSeconds,
      }),
    }),
  });

  const ImageType = builder.objectRef<ProductImageView>('OperatorProductImage').implement({
    description: 'A stored image of a product (the master, after upload normalisation).',
    fields: (t) => ({
      variant: t.exposeString('variant'),
      format: t.exposeString('format'),
      width: t.exposeInt('width'),
      height: t.exposeInt('height'),
      fileSizeBytes: t.exposeInt('fileSizeBytes'),
      sha256: t.exposeString('sha256'),
      uploadedAt: t.field({ type: 'DateTime', resolve: (i) => i.uploadedAt }),
      changed: t.boolean({
        nullable: true,
        description: 'Upload only: false when the identical picture was already stored.',
        resolve: (i) => i.changed,
      }),
    }),
  });

  const HechsherType = builder.objectRef<Hechsher>('OperatorHechsher').implement({
    fields: (t) => ({
      symbol: t.exposeString('symbol'),
      org: t.exposeString('org'),
      dairyMeatPareve: t.string({ resolve: (h) => h.dairy_meat_pareve }),
      dairyEquipment: t.boolean({ resolve: (h) => h.dairy_equipment }),
      passover: t.exposeBoolean('passover'),
      qualifiers: t.exposeStringList('qualifiers'),
    }),
  });

  const NutritionType = builder.objectRef<NutritionFacts>('OperatorNutrition').implement({
    fields: (t) => ({
      servingSize: t.string({ nullable: true, resolve: (n) => n.serving_size }),
      servingsPerContainer: t.string({ nullable: true, resolve: (n) => n.servings_per_container }),
      calories: t.float({ nullable: true, resolve: (n) => n.calories }),
      ...Object.fromEntries(NUTRIENT_KEYS.map((k) => [camel(k), t.float({ nullable: true, resolve: (n) => n[k] })])),
    }),
  });

  const ProductType = builder.objectRef<ProductView>('OperatorProduct').implement({
    description: 'A product as stored: the whole product_meta (the form’s values) and its images.',
    fields: (t) => ({
      ownership: t.string({ resolve: (p) => p.meta.ownership }),
      productDescription: t.string({ nullable: true, resolve: (p) => p.meta.product_description }),
      category: t.string({ nullable: true, resolve: (p) => p.meta.category }),
      bracha: t.string({ nullable: true, resolve: (p) => p.meta.bracha }),
      kosherForPassover: t.boolean({ resolve: (p) => p.meta.kosher_for_passover }),
      hechshers: t.field({ type: [HechsherType], resolve: (p) => p.meta.hechshers }),
      ingredients: t.string({ nullable: true, resolve: (p) => p.meta.ingredients }),
      allergens: t.stringList({ resolve: (p) => p.meta.allergens }),
      nutrition: t.field({ type: NutritionType, nullable: true, resolve: (p) => p.meta.nutrition_facts }),
      barcode: t.exposeString('barcode'),
      gtin14: t.exposeString('gtin14'),
      brand: t.exposeString('brand'),
      productName: t.exposeString('productName'),
      netWeight: t.string({ nullable: true, resolve: (p) => p.netWeight }),
      updatedAt: t.field({ type: 'DateTime', resolve: (p) => p.updatedAt }),
      images: t.field({ type: [ImageType], resolve: (p) => p.images }),
    }),
  });

  const SavedType = builder.objectRef<SavedProductView>('OperatorSavedProduct').implement({
    fields: (t) => ({
      barcode: t.exposeString('barcode'),
      gtin14: t.exposeString('gtin14'),
      outcome: t.exposeString('outcome', { description: 'inserted, updated or unchanged.' }),
    }),
  });

  const HechsherInput = builder.inputType('OperatorHechsherInput', {
    fields: (t) => ({
      symbol: t.string({ required: true, description: 'As printed, e.g. OU-D (1–50 characters).' }),
      org: t.string({ required: true }),
      dairyMeatPareve: t.string({ required: true, description: 'dairy, meat or pareve.' }),
      dairyEquipment: t.boolean({ required: true, defaultValue: false }),
      passover: t.boolean({ required: true, defaultValue: false }),
      qualifiers: t.stringList({ required: true, defaultValue: [] }),
    }),
  });

  const NutritionInput = builder.inputType('OperatorNutritionInput', {
    description: 'Nutrition facts; amounts per serving, in the unit the field name ends with.',
    fields: (t) => ({
      servingSize: t.string({ required: false }),
      servingsPerContainer: t.string({ required: false }),
      calories: t.float({ required: false }),
      ...Object.fromEntries(NUTRIENT_KEYS.map((k) => [camel(k), t.float({ required: false })])),
    }),
  });

  const ProductInput = builder.inputType('OperatorProductInput', {
    description: 'The whole product_meta (saving replaces it), checked as PUT /admin/v1/products/{barcode} checks it.',
    fields: (t) => ({
      brand: t.string({ required: true }),
      productName: t.string({ required: true }),
      ownership: t.string({ required: true }),
      productDescription: t.string({ required: false }),
      netWeight: t.string({ required: false }),
      category: t.string({ required: false }),
      bracha: t.string({ required: false, description: 'hamotzi, mezonos, hagafen, haetz, haadama or shehakol.' }),
      kosherForPassover: t.boolean({ required: false }),
      hechshers: t.field({ type: [HechsherInput], required: false }),
      ingredients: t.string({ required: false }),
      allergens: t.stringList({ required: false }),
      nutrition: t.field({ type: NutritionInput, required: false }),
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
    operatorProduct: t.field({
      extensions: F(),
      type: ProductType,
      nullable: true,
      description: 'A product as stored (brand, name, images), or null.',
      args: { barcode: t.arg.string({ required: true }) },
      resolve: async (_r, a, c) => c.services.operators.product(await op(c, false), a.barcode),
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
    operatorSaveProduct: t.field({
      extensions: F(),
      type: SavedType,
      description: 'Creates or replaces a product (as PUT /admin/v1/products/{barcode}).',
      args: { barcode: t.arg.string({ required: true }), input: t.arg({ type: ProductInput, required: true }) },
      resolve: async (_r, a, c) => {
        const { nutrition, ...rest } = a.input as Record<string, unknown>;
        const body = snakeKeys({ ...rest, nutritionFacts: nutrition }) as Record<string, unknown>;
        return c.services.operators.saveProduct(await op(c, true), a.barcode, body);
      },
    }),
    operatorUploadImage: t.field({
      extensions: F(),
      type: ImageType,
      description:
        'Stores an image of a product (as PUT /admin/v1/products/{barcode}/images/{variant}): JPEG or PNG in base64, at most 25 MiB and 50 megapixels.',
      args: {
        barcode: t.arg.string({ required: true }),
        variant: t.arg.string({ required: true, description: 'front, back, front_clean or back_clean.' }),
        contentType: t.arg.string({ required: true, description: 'image/jpeg or image/png.' }),
        imageBase64: t.arg.string({ required: true }),
      },
      resolve: async (_r, a, c) => c.services.operators.uploadImage(await op(c, true), a),
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
