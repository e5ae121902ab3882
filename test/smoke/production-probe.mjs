// The requests of test/smoke/production-install.sh against the started production install, in plain JavaScript
// (no loader: it runs beside a pruned install): /livez, /readyz within 90 s, then an operator mints a client, the
// demo catalog is waited for, and one billed read must debit. Exit 0, or 1 with the failing step.
//   node test/smoke/production-probe.mjs <base-url> <admin-token>
const [url, adminToken] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method: body ? 'POST' : 'GET', headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
}

function check(ok, what, detail) {
  if (!ok) throw new Error(`${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
}

async function main() {
  let ready;
  for (let i = 0; i < 900 && ready?.status !== 200; i++) {
    ready = await call('/readyz').catch(() => undefined);
    if (ready?.status !== 200) await sleep(100);
  }
  check(ready?.status === 200, '/readyz within 90 s', ready?.body);
  const live = await call('/livez');
  check(live.status === 200 && live.body.status === 'ok', '/livez', live.body);

  const acct = await call('/admin/v1/accounts', { token: adminToken, body: { name: 'prod-install', credits: 10 } });
  check(acct.status === 201, 'create account', acct.body);
  const cl = await call(`/admin/v1/accounts/${acct.body.account_id}/clients`, {
    token: adminToken,
    body: { name: 'prod-install client', tier: 'standard' },
  });
  check(cl.status === 201, 'create client', cl.body);
  const tok = await call('/api/v1/auth/token', { body: { client_id: cl.body.client_id, api_key: cl.body.api_key } });
  check(tok.status === 200 && tok.body.access_token, 'token', tok.body);
  const token = tok.body.access_token;

  // The demo catalog (DEMO_PRODUCTS=5) is seeded after the server listens.
  let list;
  for (let i = 0; i < 600 && !list?.body?.items?.length; i++) {
    list = await call('/api/v1/products?per_page=1', { token });
    if (!list.body?.items?.length) await sleep(100);
  }
  check(list.status === 200 && list.body.items?.length === 1, 'free listing', list.body);
  const read = await call(`/api/v1/products/${list.body.items[0].barcode}?include=product_meta`, { token });
  check(read.status === 200 && Number(read.headers.get('x-credits-debited')) > 0, 'billed read', read.body);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`probe: ${e.message}`);
    process.exit(1);
  },
);
