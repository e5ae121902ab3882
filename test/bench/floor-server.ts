// The floors: a minimal node:http server doing the same database work as each hot path — the same catalog
// lookup and the same debit statement (imported from src, not re-typed), the same key check and token
// signing, the same image bytes — with none of the API's routing, validation, auth, rate limits or headers.
// Each benchmark result is reported as a ratio to its floor, measured in the same run on the same machine.
// Run as its own process: node --import tsx test/bench/floor-server.ts <port> <database url> <image file>
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createSql } from '../../src/db/client.ts';
import { productsByGtin } from '../../src/catalog/product.repository.ts';
import { debitAccount } from '../../src/billing/ledger.repository.ts';
import { parseBarcode } from '../../src/catalog/gtin.ts';
import { clientById, activeKeyHashes } from '../../src/accounts/clients.repository.ts';
import { secretHash, sameHash, newRefreshToken } from '../../src/kernel/secrets.ts';
import { insertRefreshToken } from '../../src/auth/refresh-tokens.repository.ts';
import { signJwt } from '../../src/auth/jwt.ts';
import { randomUUID } from 'node:crypto';

const [port, dbUrl, imageFile, accountId, clientId] = process.argv.slice(2);
const sql = createSql({ url: dbUrl, max: 16 });
const image = readFileSync(imageFile);
const jwtKeys = [{ kid: 'floor', secret: 'x'.repeat(43) }];
let n = 0;

async function body(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

async function lookupAndDebit(gtins: string[], cost: bigint) {
  const products = await productsByGtin(sql, gtins);
  const balance = await debitAccount(sql, { accountId, clientId, requestId: `req_floor_${n++}`, cost, lines: [] });
  return { products: [...products.values()], balance: String(balance) };
}

const server = http.createServer(async (req, res) => {
  try {
    const url = req.url ?? '/';
    let out: unknown;
    if (url.startsWith('/product/')) {
      const g = parseBarcode(url.slice(9));
      out = await lookupAndDebit(g.ok ? [g.gtin14] : [], 26_000n);
    } else if (url === '/many' || url === '/bulk') {
      const { barcodes } = JSON.parse(await body(req)) as { barcodes: string[] };
      const gtins = barcodes.map((b) => parseBarcode(b)).flatMap((r) => (r.ok ? [r.gtin14] : []));
      const r = await lookupAndDebit(gtins, BigInt(gtins.length) * 100n);
      out =
        url === '/bulk'
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
