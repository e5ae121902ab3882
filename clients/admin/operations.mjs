// The admin API (/admin/v1, docs/admin.md) called with plain fetch (Node 18 or later): one function per operation.
// It is not part of the customer client. The API reference shows each function as its operation's JavaScript
// sample, after the code above the first operation; test/clients/admin-samples.test.ts runs every one of them.
import { readFile } from 'node:fs/promises';

const ADMIN_URL = process.env.KC_ADMIN_URL; // the API's origin, e.g. https://api.example.com
const ADMIN_TOKEN = process.env.KC_ADMIN_TOKEN; // the server's ADMIN_TOKEN

/** One admin call: a JSON body (or image bytes) in, the JSON (or text) answer out; throws unless 2xx. */
async function admin(method, path, body, headers = {}) {
  const bytes = body instanceof Uint8Array;
  const res = await fetch(ADMIN_URL + path, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body && !bytes ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body && !bytes ? JSON.stringify(body) : body,
  });
  const json = (res.headers.get('content-type') ?? '').includes('json');
  const answer = json ? await res.json() : await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${json ? answer.error : answer}`);
  return answer;
}

/** POST /admin/v1/accounts — open an account with its first credits (10 unless given). */
export async function adminCreateAccount(name, credits) {
  return admin('POST', '/admin/v1/accounts', { name, credits });
}

/** GET /admin/v1/accounts/{account_id} — an account, its balance and its API clients (never their keys). */
export async function adminGetAccount(accountId) {
  return admin('GET', `/admin/v1/accounts/${accountId}`);
}

/** POST /admin/v1/accounts/{account_id}/clients — a new API client; its api_key is shown only in this answer. */
export async function adminCreateClient(accountId, name, tier) {
  return admin('POST', `/admin/v1/accounts/${accountId}/clients`, { name, tier });
}

/** GET /admin/v1/accounts/{account_id}/clients — the account's API clients. */
export async function adminListClients(accountId) {
  const { clients } = await admin('GET', `/admin/v1/accounts/${accountId}/clients`);
  return clients;
}

/** GET /admin/v1/clients/{client_id} — one API client. */
export async function adminGetClient(clientId) {
  return admin('GET', `/admin/v1/clients/${clientId}`);
}

/** PATCH /admin/v1/clients/{client_id} — change a client's controls; only the fields sent change. */
export async function adminUpdateClient(clientId, perMinute) {
  return admin('PATCH', `/admin/v1/clients/${clientId}`, { limits: { per_minute: perMinute } });
}

/** POST /admin/v1/clients/{client_id}/rotate-key — a new api_key; the previous one works for an overlap window. */
export async function adminRotateKey(clientId) {
  return admin('POST', `/admin/v1/clients/${clientId}/rotate-key`); // { retire_previous_now: true } for a leak
}

/** POST /admin/v1/clients/{client_id}/revoke-sessions — end every token of the client (its keys keep working). */
export async function adminRevokeClientSessions(clientId) {
  return admin('POST', `/admin/v1/clients/${clientId}/revoke-sessions`);
}

/** POST /admin/v1/accounts/{account_id}/credits — grant credits (negative: take back), once per Idempotency-Key. */
export async function adminGrantCredits(accountId, amount, reason) {
  const key = crypto.randomUUID(); // keep it to retry safely: a repeat under the same key grants once
  return admin('POST', `/admin/v1/accounts/${accountId}/credits`, { amount, reason }, { 'idempotency-key': key });
}

/** PUT /admin/v1/pricing — set the rate of an action (credits per unit); in effect everywhere within seconds. */
export async function adminSetPricing(action, credits) {
  return admin('PUT', '/admin/v1/pricing', { actions: { [action]: credits } });
}

/** POST /admin/v1/sandbox/changes — change a sandbox product, so test clients' webhooks get an event. */
export async function adminChangeSandboxProduct() {
  return admin('POST', '/admin/v1/sandbox/changes', {}); // { barcode } picks the product
}

/** PUT /admin/v1/products/{barcode} — insert or update a product's metadata. */
export async function adminUpsertProduct(barcode, product) {
  return admin('PUT', `/admin/v1/products/${barcode}`, product);
}

/** PUT /admin/v1/products/{barcode}/images/{variant} — upload a studio image (JPEG or PNG file). */
export async function adminUploadImage(barcode, variant, file) {
  const type = file.endsWith('.png') ? 'image/png' : 'image/jpeg';
  return admin('PUT', `/admin/v1/products/${barcode}/images/${variant}`, await readFile(file), { 'content-type': type });
}

/** GET /admin/v1/trace/{token} — who was issued a signed image URL, when, and whether it was redeemed. */
export async function adminTraceImageUrl(signedUrl) {
  return admin('GET', `/admin/v1/trace/${encodeURIComponent(signedUrl)}`);
}

/** POST /admin/v1/identify — which catalog image a copy shows, and the client whose mark it carries. */
export async function adminIdentifyImage(file) {
  const found = await admin('POST', '/admin/v1/identify', await readFile(file), {
    'content-type': 'application/octet-stream',
  });
  console.log(found.barcode, found.variant, found.client_id ?? 'no mark found');
  return found;
}

/** GET /admin/v1/metrics — this process's Prometheus metrics, as text (scrape every node). */
export async function adminMetrics() {
  return admin('GET', '/admin/v1/metrics');
}

/** GET /admin/v1/webhooks — the webhook subscriptions of every client (or one: ?client_id=). */
export async function adminListWebhooks(clientId) {
  const { webhooks } = await admin('GET', `/admin/v1/webhooks?client_id=${clientId}`);
  return webhooks;
}

/** GET /admin/v1/webhooks/stats — delivery counters, cluster-wide and of the answering node. */
export async function adminWebhookStats() {
  return admin('GET', '/admin/v1/webhooks/stats');
}

/** GET /admin/v1/webhooks/{webhook_id} — one subscription of any client, with its delivery counters. */
export async function adminGetWebhook(webhookId) {
  return admin('GET', `/admin/v1/webhooks/${webhookId}`);
}

/** POST /admin/v1/webhooks/{webhook_id}/disable — stop its deliveries; the client sees the reason. */
export async function adminDisableWebhook(webhookId, reason) {
  return admin('POST', `/admin/v1/webhooks/${webhookId}/disable`, { reason });
}

/** POST /admin/v1/webhooks/{webhook_id}/enable — enable it again; its pending deliveries resume. */
export async function adminEnableWebhook(webhookId) {
  return admin('POST', `/admin/v1/webhooks/${webhookId}/enable`);
}

/** GET /admin/v1/webhooks/{webhook_id}/deliveries — the delivery log of any subscription, newest first. */
export async function adminListWebhookDeliveries(webhookId) {
  const { deliveries } = await admin('GET', `/admin/v1/webhooks/${webhookId}/deliveries?limit=20`);
  return deliveries;
}
