// The testkit: every recurring fixture, written once, read as a sentence (in the manner of Hive's
// integration-tests testkit, `initSeed().createOwner().createOrg()`):
//
//   const acct = await seed(app).account({ credits: 100 });            // POST /admin/v1/accounts
//   const client = await acct.client({ tier: 'standard' });            // POST /admin/v1/accounts/{id}/clients
//   const { accessToken } = await client.token();                      // POST /api/v1/auth/token
//   const signedIn = await client.signIn();                            // the same, tokens kept on the client
//   const c = await seed(app).client({ credits: 10 });                 // all three at once: c.accessToken
//   const sub = await c.webhook({ url: rcv.url, events: ['product.created'] }); // POST /api/v1/webhooks
//   const p = await seed(app).product({ images: ['front', 'back'] });  // the row, then PUT …/images/{variant}
//   const q = await seed(app).product({ meta: 'full', imageRows: ['front'] }); // what paid reads price
//   const [a, b] = await seed(app).products([{ brand }, { brand, imageRows: ['back'] }]);
//
// Accounts, clients, tokens, subscriptions and uploaded images go through the real HTTP API, as an operator and a
// client would; every call makes fresh ones, so tests never share balances. Product rows are written by the
// catalog's write repository (as the seed and the import CLI write them: SQL triggers, NOTIFY and the webhook
// outbox all fire); `imageRows` are rows without bytes (reads price and sign them, nothing delivers them).
// A builder that cannot do its part throws with the status and body it got.
import { randomBytes, randomInt } from 'node:crypto';
import { toGtin14, withCheckDigit } from '../../src/modules/catalog/gtin.ts';
import type { ImageRecord, ProductInput, Variant } from '../../src/modules/catalog/product.types.ts';
import { upsertImages, upsertProducts } from '../../src/modules/catalog/product-write.repository.ts';
import { sniff } from '../../src/modules/images/magic-bytes.ts';
import type { Sql } from '../../src/platform/db/client.ts';
import type { TestApp } from './app.ts';
import { call } from './http.ts';
import { picture, putImage } from './image-fixtures.ts';

/** Image bytes and the admin upload (test/helpers/image-fixtures.ts), here so a test imports one place. */
export { picture, putImage };

// ---------------------------------------------------------------------------------------------------------------
// Where the builders write: a TestApp, or any deployment given its URL and admin token (for what goes through
// HTTP) and a connection to its database (for product rows), e.g. a server process: `seed({ url, adminToken, sql })`.

export interface DeploymentRef {
  url?: string;
  adminToken?: string;
  sql?: Sql;
}

interface Ref {
  url: string;
  adminToken: string;
  sql: Sql;
}

function refOf(t: TestApp | DeploymentRef): Ref {
  if ('db' in t) return { url: t.url, adminToken: t.adminToken, sql: t.db.sql };
  const missing = (what: string) => () => {
    throw new Error(`seed: this needs the deployment's ${what}`);
  };
  return {
    get url() {
      return t.url ?? missing('url')();
    },
    get adminToken() {
      return t.adminToken ?? missing('admin token')();
    },
    get sql() {
      return t.sql ?? missing('database (sql)')();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Plain values.

/** A short random tag for unique names. */
export const tag = () => randomBytes(4).toString('hex');

/** A random valid barcode of `digits` digits (8, 12, 13 or 14). */
export function barcode(digits = 12): string {
  let body = String(randomInt(1, 9));
  while (body.length < digits - 1) body += String(randomInt(0, 10));
  return withCheckDigit(body);
}

export function hechsher(symbol: string) {
  return {
    symbol,
    org: 'Test Org',
    dairy_meat_pareve: 'pareve' as const,
    dairy_equipment: false,
    passover: false,
    qualifiers: [],
  };
}

/** A product as PUT /admin/v1/products/{barcode} takes it: the required fields only (Osem's Bamba). */
export const adminProduct = <T extends Record<string, unknown>>(over: T = {} as T) => ({
  brand: 'Osem',
  product_name: 'Bamba',
  ownership: 'Studio A',
  ...over,
});

/** A ProductInput (the write repository's shape) with a fresh barcode, a unique brand and name, nothing else set. */
export function productInput(over: Partial<ProductInput> = {}): ProductInput {
  return {
    barcode: barcode(),
    brand: `Brand ${tag()}`,
    product_name: `Product ${tag()}`,
    product_description: null,
    net_weight: null,
    category: null,
    bracha: null,
    kosher_for_passover: false,
    hechshers: [],
    ingredients: null,
    allergens: [],
    nutrition_facts: null,
    ownership: 'Studio A',
    ...over,
  };
}

/** Every optional product_meta field filled: the label paid reads are tested against (`meta: 'full'`). */
const FULL_META = {
  product_description: 'Crunchy',
  net_weight: 'Net Wt 20 oz (1 lb 4 oz) 567g',
  category: 'Snacks',
  bracha: 'shehakol',
  kosher_for_passover: true,
  hechshers: [{ ...hechsher('OU-D'), dairy_meat_pareve: 'dairy', qualifiers: ['chalav_yisrael'] }],
  ingredients: 'קמח, water',
  allergens: ['milk'],
  nutrition_facts: {
    serving_size: '1 oz',
    servings_per_container: 'about 20',
    calories: 140,
    total_fat_g: 7.5,
    saturated_fat_g: 1,
    trans_fat_g: 0,
    cholesterol_mg: 0,
    sodium_mg: 170,
    total_carbohydrate_g: 18,
    dietary_fiber_g: 1,
    total_sugars_g: 2,
    added_sugars_g: 1,
    protein_g: 2,
    vitamin_d_mcg: null,
    calcium_mg: 10,
    iron_mg: 0.4,
    potassium_mg: 50,
  },
} satisfies Partial<ProductInput>;

/** An image row without bytes (a blob key nothing holds): what listing and paid reads see of an image. */
export function imageRow(barcodeOf: string, variant: Variant): { gtin14: string; image: ImageRecord } {
  const gtin14 = toGtin14(barcodeOf)!;
  const png = variant.endsWith('_clean');
  return {
    gtin14,
    image: {
      variant,
      format: png ? 'png' : 'jpeg',
      content_type: png ? 'image/png' : 'image/jpeg',
      width: 1000,
      height: 1000,
      file_size_bytes: 1234,
      sha256: randomBytes(32).toString('hex'),
      blob_key: `test/${gtin14}/${variant}`,
      photo_date: null,
      upload_date: new Date(),
      uploaded_by: 'test',
      source_batch: null,
    },
  };
}

/** PUT /admin/v1/products/{barcode} (the admin catalog write), answered as it came: tests assert on it. */
export function putProduct(target: TestApp | DeploymentRef, barcodeOf: string, body: unknown = adminProduct()) {
  const ref = refOf(target);
  return call(ref.url, `/admin/v1/products/${barcodeOf}`, { method: 'PUT', token: ref.adminToken, body });
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts, clients, tokens, webhook subscriptions.

interface AccountOptions {
  /** Credits (not units): 10, "2.6". Default: the 10 welcome credits. */
  credits?: number | string;
}

interface ClientOptions {
  /** Default: "test client <tag>". */
  name?: string;
  tier?: 'free' | 'standard' | 'enterprise';
  /** `test`: a test-mode client (kc_test_ key, the sandbox catalog, nothing charged). */
  mode?: 'live' | 'test';
  scope?: { brands?: string[]; ownerships?: string[] };
  ip_allowlist?: string[];
  limits?: { per_minute?: number; per_day?: number };
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface WebhookOptions {
  url: string;
  events: string[];
  [field: string]: unknown;
}

/** A webhook subscription as POST /api/v1/webhooks answered it (`secret` is shown only then). */
export interface Subscription {
  id: string;
  secret: string;
  [field: string]: unknown;
}

/** POST /api/v1/auth/token; throws unless 200. Headers let a test pose as another IP behind a trusted proxy. */
export async function exchangeKey(
  url: string,
  clientId: string,
  apiKey: string,
  headers?: Record<string, string>,
): Promise<Tokens> {
  const res = await call(url, '/api/v1/auth/token', { body: { client_id: clientId, api_key: apiKey }, headers });
  if (res.status !== 200) throw new Error(`exchangeKey: ${res.status} ${JSON.stringify(res.body)}`);
  return { accessToken: res.body.access_token as string, refreshToken: res.body.refresh_token as string };
}

/** An API client and its key; `token()` starts a session, `webhook()` subscribes (in a session of its own). */
export class ApiClient {
  readonly #ref: Ref;
  #session: Promise<Tokens> | undefined;

  constructor(
    ref: Ref,
    readonly accountId: string,
    readonly clientId: string,
    readonly apiKey: string,
    session?: Tokens,
  ) {
    this.#ref = ref;
    if (session) this.#session = Promise.resolve(session);
  }

  /** Exchanges the key for a fresh access + refresh token (a new session each call). */
  token(headers?: Record<string, string>): Promise<Tokens> {
    return exchangeKey(this.#ref.url, this.clientId, this.apiKey, headers);
  }

  /** The same client with a session started (`token()`), its tokens at hand. */
  async signIn(): Promise<SignedInClient> {
    const t = await this.token();
    return new SignedInClient(this.#ref, this, t.accessToken, t.refreshToken);
  }

  /** POST /api/v1/webhooks; throws unless 201 and verified (the endpoint echoed the challenge). */
  async webhook(opts: WebhookOptions): Promise<Subscription> {
    const { accessToken } = await (this.#session ??= this.token());
    const res = await call(this.#ref.url, '/api/v1/webhooks', { token: accessToken, body: opts });
    if (res.status !== 201) throw new Error(`webhook: ${res.status} ${JSON.stringify(res.body)}`);
    // Deliveries go only to a verified endpoint: the test receiver echoes the challenge (docs/webhooks.md#verification).
    if (res.body.verification !== 'verified') throw new Error(`webhook: not verified: ${JSON.stringify(res.body)}`);
    return res.body as Subscription;
  }
}

/** An API client with a session already started (`seed(app).client()`); `webhook()` uses that session. */
export class SignedInClient extends ApiClient implements Tokens {
  constructor(
    ref: Ref,
    client: ApiClient,
    readonly accessToken: string,
    readonly refreshToken: string,
  ) {
    super(ref, client.accountId, client.clientId, client.apiKey, { accessToken, refreshToken });
  }
}

class Account {
  readonly #ref: Ref;

  constructor(
    ref: Ref,
    readonly accountId: string,
  ) {
    this.#ref = ref;
  }

  /** POST /admin/v1/accounts/{id}/clients (tier standard unless told); throws unless 201. */
  async client(opts: ClientOptions = {}): Promise<ApiClient> {
    const res = await call(this.#ref.url, `/admin/v1/accounts/${this.accountId}/clients`, {
      token: this.#ref.adminToken,
      body: {
        name: opts.name ?? `test client ${tag()}`,
        tier: opts.tier ?? 'standard',
        ...(opts.mode ? { mode: opts.mode } : {}),
        ...(opts.scope ? { scope: opts.scope } : {}),
        ...(opts.ip_allowlist ? { ip_allowlist: opts.ip_allowlist } : {}),
        ...(opts.limits ? { limits: opts.limits } : {}),
      },
    });
    if (res.status !== 201) throw new Error(`client: ${res.status} ${JSON.stringify(res.body)}`);
    return new ApiClient(this.#ref, this.accountId, res.body.client_id, res.body.api_key);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Products.

interface ProductOptions extends Partial<ProductInput> {
  /** 'full': every optional product_meta field filled (FULL_META); default: the required fields only. */
  meta?: 'full';
  /** Image rows only, no bytes: priced and signed by reads, never delivered. */
  imageRows?: Variant[];
  /**
   * Pictures uploaded through PUT /admin/v1/products/{barcode}/images/{variant} (the real ingest: blob,
   * renditions, hashes). A variant alone gets a generated 64×64 picture (a transparent PNG for *_clean, else a
   * JPEG).
   */
  images?: Variant[] | Partial<Record<Variant, Buffer>>;
}

/**
 * A product as written (its ProductInput fields, the only enumerable ones), with its GTIN-14 and the ingest's
 * answer for each uploaded image.
 */
type SeededProduct = ProductInput & {
  gtin14: string;
  /** The ingest's JSON answer per uploaded variant. */
  uploads: Partial<Record<Variant, any>>;
};

function inputOf(opts: ProductOptions): ProductInput {
  const { meta, imageRows: _rows, images: _images, ...over } = opts;
  return productInput({ ...(meta === 'full' ? (FULL_META as Partial<ProductInput>) : {}), ...over });
}

// ---------------------------------------------------------------------------------------------------------------
// seed(app): the entry point.

export interface Seed {
  /** POST /admin/v1/accounts; throws unless 201. */
  account(opts?: AccountOptions): Promise<Account>;
  /** A fresh account with one client, signed in: account + client + token in one sentence. */
  client(opts?: AccountOptions & ClientOptions): Promise<SignedInClient>;
  /** One product: its row, then its image rows and uploads. */
  product(opts?: ProductOptions): Promise<SeededProduct>;
  /** Several products in one write (one statement), then each one's image rows and uploads, in order. */
  products(list: ProductOptions[]): Promise<SeededProduct[]>;
}

export function seed(target: TestApp | DeploymentRef): Seed {
  const ref = refOf(target);
  const sql = () => ref.sql;

  const account = async (opts: AccountOptions = {}) => {
    const res = await call(ref.url, '/admin/v1/accounts', {
      token: ref.adminToken,
      body: { name: `test account ${tag()}`, ...(opts.credits !== undefined ? { credits: opts.credits } : {}) },
    });
    if (res.status !== 201) throw new Error(`account: ${res.status} ${JSON.stringify(res.body)}`);
    return new Account(ref, res.body.account_id);
  };

  const finish = async (p: ProductInput, opts: ProductOptions): Promise<SeededProduct> => {
    if (opts.imageRows?.length)
      await upsertImages(
        sql(),
        opts.imageRows.map((v) => imageRow(p.barcode, v)),
      );
    const uploads: SeededProduct['uploads'] = {};
    const images = Array.isArray(opts.images)
      ? await Promise.all(
          opts.images.map(
            async (v) =>
              [v, await (v.endsWith('_clean') ? picture(64, 64, 'png', { alpha: true }) : picture(64, 64, 'jpeg'))] as [
                Variant,
                Buffer,
              ],
          ),
        )
      : (Object.entries(opts.images ?? {}) as [Variant, Buffer][]);
    for (const [variant, bytes] of images) {
      const type = sniff(bytes);
      const put = await putImage(ref.url, ref.adminToken, p.barcode, variant, bytes, `image/${type}`);
      if (put.status !== 201) throw new Error(`image ${variant}: ${put.status} ${JSON.stringify(put.body)}`);
      uploads[variant] = put.body;
    }
    // Only the written fields are enumerable: a seeded product spreads into a PUT body or an upsert as it is.
    return Object.defineProperties(
      { ...p },
      {
        gtin14: { value: toGtin14(p.barcode)!, enumerable: false },
        uploads: { value: uploads, enumerable: false },
      },
    ) as SeededProduct;
  };

  const products = async (list: ProductOptions[]) => {
    const inputs = list.map(inputOf);
    await upsertProducts(sql(), inputs);
    const out: SeededProduct[] = [];
    for (let i = 0; i < inputs.length; i++) out.push(await finish(inputs[i], list[i]));
    return out;
  };

  return {
    account,
    async client(opts = {}) {
      const { credits, ...clientOpts } = opts;
      return (await (await account({ credits })).client(clientOpts)).signIn();
    },
    product: async (opts = {}) => (await products([opts]))[0],
    products,
  };
}
