// The floors: a minimal node:http server doing only the work of a hot path, with the same functions as the API
// (imported from the build in dist/, the very code the API runs, not re-typed), and none of its routing,
// validation, auth, rate limits or headers. Plain JavaScript started with plain `node`, as the API is. Kinds, so
// a ratio says what it measures:
// - read floor, database (/read/…): the catalog lookup (productsByGtin's one statement) per request, unbilled;
// - billed floor (/billed/…): the same lookup plus the API's one-statement debit (debitAccount), one
//   transaction per request, not batched: the naive billed server the API's group commit should beat;
// - memory floor (`memory` as the last argument: /read/product/… from a Map of every product, loaded with
//   productsByGtin at start): what serving a read from the API's catalog cache costs at the least. Its own
//   process, so its RSS (the whole catalog) is not counted against the database floors.
// /read/many is the read floor of GraphQL `products` ×100 (the same SQL for 100 barcodes); /read/bulk and
// /billed/bulk are bulk-check's. /token does the key check, refresh-token insert and signing; /img/* sends the
// API's image bytes from memory. Each result is a ratio to these, measured in the same run on the same machine.
// Run as its own process: node test/bench/floor-server.mjs <port> <database url> <image file> <account> <client> [memory]
// (`npm run build` first: it imports dist/).

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { newRefreshToken, sameHash, secretHash } from '../../dist/kernel/secrets.js';
import { activeKeyHashes, clientById } from '../../dist/modules/accounts/clients.repository.js';
import { signJwt } from '../../dist/modules/auth/jwt.js';
import { insertRefreshToken } from '../../dist/modules/auth/refresh-tokens.repository.js';
import { debitAccount } from '../../dist/modules/billing/ledger.repository.js';
import { parseBarcode } from '../../dist/modules/catalog/gtin.js';
import { productsByGtin } from '../../dist/modules/catalog/product.repository.js';
import { createSql } from '../../dist/platform/db/client.js';

const [port, dbUrl, imageFile, accountId, clientId, mode] = process.argv.slice(2);
// The API's default pool size (DATABASE_POOL_SIZE), so neither side has more connections.
const sql = createSql({ url: dbUrl, max: 16, appName: 'kc-bench-floor' });
const image = readFileSync(imageFile);
const jwtKeys = [{ kid: 'floor', secret: 'x'.repeat(43) }];
let n = 0;

/** The memory floor's catalog: every product record, by GTIN-14, read once at start. */
const inMemory = new Map();
if (mode === 'memory') {
  const gtins = (await sql`select gtin14 from products order by gtin14`).map((r) => r.gtin14);
  for (let i = 0; i < gtins.length; i += 1000)
    for (const [g, p] of await productsByGtin(sql, gtins.slice(i, i + 1000))) inMemory.set(g, p);
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString();
}

async function lookup(gtins, billed, cost) {
  const products =
    mode === 'memory'
      ? new Map(gtins.flatMap((g) => (inMemory.has(g) ? [[g, inMemory.get(g)]] : [])))
      : await productsByGtin(sql, gtins);
  const balance = billed
    ? String(await debitAccount(sql, { accountId, clientId, requestId: `req_floor_${n++}`, cost, lines: [] }))
    : undefined;
  return { products: [...products.values()], balance };
}

const gtinsOf = (barcodes) => barcodes.map((b) => parseBarcode(b)).flatMap((r) => (r.ok ? [r.gtin14] : []));

const server = http.createServer(async (req, res) => {
  try {
    const url = req.url ?? '/';
    const billed = url.startsWith('/billed/');
    const route = url.replace(/^\/(read|billed)\//, '/');
    let out;
    if (route.startsWith('/product/')) {
      out = await lookup(gtinsOf([route.slice(9)]), billed, 26_000n);
    } else if (route === '/many' || route === '/bulk') {
      const { barcodes } = JSON.parse(await body(req));
      const gtins = gtinsOf(barcodes);
      const r = await lookup(gtins, billed, BigInt(gtins.length) * 100n);
      out =
        route === '/bulk'
          ? r.products.map((p) => ({ barcode: p.meta.barcode, exists: true, variants: Object.keys(p.images) }))
          : r;
    } else if (url === '/token') {
      const { client_id, api_key } = JSON.parse(await body(req));
      const client = await clientById(sql, client_id);
      const hashes = await activeKeyHashes(sql, client_id);
      const given = secretHash(api_key);
      if (!client || !hashes.some((h) => sameHash(given, h))) {
        res.writeHead(401).end();
        return;
      }
      const refresh = newRefreshToken();
      await insertRefreshToken(sql, secretHash(refresh), client_id, 7_776_000);
      const now = Math.floor(Date.now() / 1000);
      const access = signJwt(
        {
          iss: 'floor',
          sub: client_id,
          iat: now,
          exp: now + 3600,
          jti: randomUUID(),
          tier: client.tier,
          scope_hash: '',
        },
        jwtKeys,
      );
      out = { access_token: access, refresh_token: refresh };
    } else if (url.startsWith('/img/')) {
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(image.length) });
      res.end(image);
      return;
    } else {
      res.writeHead(404).end();
      return;
    }
    const text = JSON.stringify(out);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  } catch (e) {
    res.writeHead(500).end(String(e?.message ?? e));
  }
});
server.listen(Number(port), '127.0.0.1', () =>
  process.stdout.write(`floor listening${mode === 'memory' ? ` (${inMemory.size} products in memory)` : ''}\n`),
);
process.on('SIGTERM', () => {
  server.close();
  void sql.end({ timeout: 1 }).then(() => process.exit(0));
});
