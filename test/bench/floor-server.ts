// The floors: a minimal node:http server doing only the database work of a hot path, with the same functions
// as the API (imported from src, not re-typed), and none of its routing, validation, auth, rate limits, cache
// or headers. Two kinds, so a ratio says what it measures:
// - read floor (/read/…): the catalog lookup (productsByGtin's one statement) and nothing else, unbilled;
// - billed floor (/billed/…): the same lookup plus the API's one-statement debit (debitAccount), one
//   transaction per request, not batched: the naive billed server the API's group commit should beat.
// /read/many is the read floor of GraphQL `products` ×100 (the same SQL for 100 barcodes); /read/bulk and
// /billed/bulk are bulk-check's. /token does the key check, refresh-token insert and signing; /img/* sends the
// API's image bytes from memory. Each result is a ratio to these, measured in the same run on the same machine.
// Run as its own process: node --import tsx test/bench/floor-server.ts <port> <database url> <image file> <account> <client>

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { newRefreshToken, sameHash, secretHash } from '../../src/kernel/secrets.ts';
import { activeKeyHashes, clientById } from '../../src/modules/accounts/clients.repository.ts';
import { signJwt } from '../../src/modules/auth/jwt.ts';
import { insertRefreshToken } from '../../src/modules/auth/refresh-tokens.repository.ts';
import { debitAccount } from '../../src/modules/billing/ledger.repository.ts';
import { parseBarcode } from '../../src/modules/catalog/gtin.ts';
import { productsByGtin } from '../../src/modules/catalog/product.repository.ts';
import { createSql } from '../../src/platform/db/client.ts';

const [port, dbUrl, imageFile, accountId, clientId] = process.argv.slice(2);
// The API's default pool size (DATABASE_POOL_SIZE), so neither side has more connections.
const sql = createSql({ url: dbUrl, max: 16, appName: 'kc-bench-floor' });
const image = readFileSync(imageFile);
const jwtKeys = [{ kid: 'floor', secret: 'x'.repeat(43) }];
let n = 0;

async function body(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

async function lookup(gtins: string[], billed: boolean, cost: bigint) {
  const products = await productsByGtin(sql, gtins);
  const balance = billed
    ? String(await debitAccount(sql, { accountId, clientId, requestId: `req_floor_${n++}`, cost, lines: [] }))
    : undefined;
  return { products: [...products.values()], balance };
}

const gtinsOf = (barcodes: string[]) => barcodes.map((b) => parseBarcode(b)).flatMap((r) => (r.ok ? [r.gtin14] : []));

const server = http.createServer(async (req, res) => {
  try {
    const url = req.url ?? '/';
    const billed = url.startsWith('/billed/');
    const route = url.replace(/^\/(read|billed)\//, '/');
    let out: unknown;
    if (route.startsWith('/product/')) {
      out = await lookup(gtinsOf([route.slice(9)]), billed, 26_000n);
    } else if (route === '/many' || route === '/bulk') {
      const { barcodes } = JSON.parse(await body(req)) as { barcodes: string[] };
      const gtins = gtinsOf(barcodes);
      const r = await lookup(gtins, billed, BigInt(gtins.length) * 100n);
      out =
        route === '/bulk'
          ? r.products.map((p) => ({ barcode: p.meta.barcode, exists: true, variants: Object.keys(p.images) }))
          : r;
    } else if (url === '/token') {
      const { client_id, api_key } = JSON.parse(await body(req)) as { client_id: string; api_key: string };
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
    res.writeHead(500).end(String((e as Error).message));
  }
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('floor listening\n'));
process.on('SIGTERM', () => {
  server.close();
  void sql.end({ timeout: 1 }).then(() => process.exit(0));
});
