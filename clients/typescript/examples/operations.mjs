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

/** POST /api/v1/auth/refresh — a new token pair now; the client also refreshes by itself before expiry. */
export async function refreshTokens(kc) {
  const { data } = await kc.refreshTokens(); // the old refresh token is spent: never send it again
  console.log(`new access token, valid for ${data.expires_in}s`);
  return data.expires_in;
}

/** POST /api/v1/auth/revoke — log out: revoke the kept refresh and access tokens (free). */
export async function revokeTokens(kc) {
  const res = await kc.revokeTokens(); // the next call exchanges the API key again
  console.log(res?.data.revoked ? 'logged out' : 'no session to end');
  return res?.data.revoked ?? false;
}

/** GET /api/v1/health — is the service up, with its database and cache (no token needed). */
export async function health(kc) {
  const { data } = await kc.health();
  console.log(`status: ${data.status}`);
  return data.status;
}

/** GET /api/v1/openapi.json — this API's OpenAPI document, e.g. to generate a client (no token needed). */
export async function openApi(kc) {
  const { data } = await kc.openApi();
  console.log(`${data.info.title} ${data.info.version}: ${Object.keys(data.paths).length} paths`);
  return data;
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

/** PATCH /api/v1/webhooks/{webhook_id} — change the events (or url, filter, enabled) of a subscription. */
export async function updateWebhook(kc, webhookId) {
  const { data } = await kc.updateWebhook(webhookId, { events: ['product.created', 'product.updated'] });
  console.log(data.id, data.events.join(','), data.enabled ? 'enabled' : 'disabled');
  return data;
}

/** POST /api/v1/webhooks/{webhook_id}/verify — send your endpoint a new challenge; it must echo it back. */
export async function verifyWebhookEndpoint(kc, webhookId) {
  const { data } = await kc.verifyWebhookEndpoint(webhookId);
  console.log(data.verification === 'verified' ? 'verified' : `${data.verification}: ${data.verification_error}`);
  return data.verification;
}

/** POST /api/v1/webhooks/{webhook_id}/replay — deliver again the events of a time range (e.g. after an outage). */
export async function replayWebhook(kc, webhookId, since) {
  const { data } = await kc.replayWebhook(webhookId, { since }); // until: now
  console.log(`${data.queued} events queued`, data.next_since ? `; replay again from ${data.next_since}` : '');
  return data;
}

/** GET /api/v1/webhooks/{webhook_id}/deliveries — the delivery log, newest first. */
export async function webhookDeliveries(kc, webhookId) {
  const { data } = await kc.listWebhookDeliveries(webhookId, { limit: 20 });
  for (const d of data.deliveries) console.log(d.created_at, d.event, d.status, `HTTP ${d.last_status_code}`);
  return data.deliveries;
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
