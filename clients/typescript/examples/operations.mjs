// One small example per API operation, each a complete call with the reference client. They are run against a live
// server by the client's tests (test/examples.test.mjs), and the API reference shows them as code samples, so keep
// each function short and self-explanatory. `kc` is a KosherCatalog:
//   const kc = new KosherCatalog({ baseUrl, clientId, apiKey });
import { KosherCatalog } from '@kosher-catalog/client';

/** POST /api/v1/auth/token — the client does this on its first call; shown for completeness. */
export async function tokenExchange(baseUrl, clientId, apiKey) {
  const kc = new KosherCatalog({ baseUrl, clientId, apiKey });
  const { data } = await kc.exchangeToken(); // later calls refresh it before it expires
  return data.expires_in;
}

/** GET /api/v1/products/{barcode} — billed by what you include. */
export async function getProduct(kc, barcode) {
  const { data, bill } = await kc.getProduct(barcode, {
    include: ['product_meta', 'images'],
    variants: ['front'],
    imageSize: 'medium',
  });
  console.log(data.product_meta?.brand, data.images?.front, `cost ${bill.creditsDebited}`);
  return data;
}

/** HEAD /api/v1/products/{barcode} — does it exist, with which images (billed products.head). */
export async function headProduct(kc, barcode) {
  const { data } = await kc.headProduct(barcode);
  return data; // { exists: true, variants: ['front', 'back'] }
}

/** POST /api/v1/products/bulk-check — any number of barcodes, sent 500 at a time; rows in your order. */
export async function bulkCheck(kc, barcodes) {
  const { data, bill } = await kc.bulkCheck(barcodes);
  const missing = data.results.filter((row) => !row.exists).map((row) => row.barcode);
  console.log(`${missing.length} not in the catalog, cost ${bill.creditsDebited}`);
  return data.results;
}

/** GET /api/v1/products — the free listing, every page followed by cursor. */
export async function listProducts(kc) {
  const barcodes = [];
  for await (const item of kc.iterateProducts({ has_front: true, per_page: 500 })) barcodes.push(item.barcode);
  return barcodes;
}

/** GET /api/v1/balance — free. */
export async function balance(kc) {
  const { data } = await kc.balance();
  return data.credits_remaining;
}

/** GET /api/v1/account — the account, this API client (tier, mode, scope) and its rate-limit budget (free). */
export async function account(kc) {
  const { data } = await kc.account();
  const { minute } = data.rate_limits;
  console.log(`${data.account.name}: client ${data.client.name} (${data.client.tier}, ${data.client.mode})`);
  console.log(`${minute.remaining} of ${minute.limit} requests left this minute`);
  return data;
}

/** GET /api/v1/pricing — what each billed action costs, in credits, and the rate limits of each tier (free). */
export async function pricing(kc) {
  const { data } = await kc.pricing();
  for (const [action, credits] of Object.entries(data.actions)) console.log(`${action}: ${credits} credits`);
  return data;
}

/** GET /api/v1/usage — this month's requests and credits per action and day (free); from/to pick other days. */
export async function usage(kc) {
  const { data } = await kc.usage({ group_by: ['action', 'day'] });
  for (const row of data.rows) console.log(row.day, row.action, `${row.requests} requests, ${row.credits} credits`);
  console.log(`total ${data.totals.credits} credits`);
  return data;
}

/** POST /api/v1/webhooks — catalog changes pushed to your endpoint; keep the secret to verify deliveries. */
export async function createWebhook(kc, url) {
  const { data } = await kc.createWebhook({ url, events: ['product.updated', 'product.image_added'] });
  return { id: data.id, secret: data.secret }; // the secret is shown only now
}

/** GET /api/v1/webhooks — this API client's subscriptions, oldest first (never their secrets; free). */
export async function listWebhooks(kc) {
  const { data } = await kc.listWebhooks();
  for (const hook of data.webhooks)
    console.log(
      hook.id,
      hook.url,
      hook.events.join(','),
      hook.enabled ? 'enabled' : `disabled (${hook.disabled_reason})`,
    );
  return data.webhooks;
}

/** GET /api/v1/webhooks/{webhook_id} — one subscription, with its state (enabled, disabled_reason, failing_since). */
export async function getWebhook(kc, webhookId) {
  const { data } = await kc.getWebhook(webhookId);
  if (data.enabled)
    console.log(data.url, 'enabled', data.failing_since ? `failing since ${data.failing_since}` : 'healthy');
  else console.log(data.url, `disabled (${data.disabled_reason}) at ${data.disabled_at}`);
  return data;
}

/** POST /api/v1/webhooks/{webhook_id}/test — send a signed webhook.test ping now and see your endpoint's answer. */
export async function pingWebhook(kc, webhookId) {
  const { data } = await kc.testWebhook(webhookId);
  const { status, last_status_code, latency_ms } = data.delivery;
  console.log(`${status}: HTTP ${last_status_code} in ${latency_ms} ms`);
  return data.delivery;
}

/** DELETE /api/v1/webhooks/{webhook_id} — end a subscription; nothing more is delivered to it (free). */
export async function deleteWebhook(kc, webhookId) {
  await kc.deleteWebhook(webhookId);
  console.log('deleted', webhookId);
}

/** GET /api/v1/image/{token} — redeem a signed image URL once and save it. */
export async function downloadImage(kc, signedUrl, file) {
  const { contentType, size } = await kc.downloadImage(signedUrl, { to: file });
  return { contentType, size };
}
