// Trace and identify from the operator console (docs/console.md#operators): operatorTraceImage opens a signed image
// URL and answers who it was issued to (client, account, grant, image, IP, times) and whether it was redeemed;
// operatorIdentifyImage reads the client mark out of a resized, re-encoded copy of a delivered image (client,
// account, grant, confidence), answers clientId null for an image without a mark, and both are in the audit log.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { productShot } from '../../helpers/mark-fixtures.ts';
import { type OperatorSession, signedInOperator } from '../../helpers/operator.ts';
import { seed } from '../../helpers/testkit.ts';

let app: TestApp;
let op: OperatorSession;
beforeAll(async () => {
  app = await startTestApp();
  op = await signedInOperator(app.url, app.env);
});
afterAll(async () => {
  await app?.close();
});

const TRACE = `query($u: String!) { operatorTraceImage(url: $u) {
  grantId clientId accountId barcode variant size format ip issuedAt expiresAt redeemed redeemedAt redeemedIp } }`;
const IDENTIFY = `mutation($d: String!) { operatorIdentifyImage(imageBase64: $d) {
  barcode variant clientId accountId grantId confidence imageSimilarity } }`;

describe('operator trace and identify', () => {
  it('traces a signed URL to its grant before and after redemption, and identifies a leaked copy', async () => {
    const shot = await productShot(77_001);
    const product = await seed(app).product({ images: { front: shot.jpeg } });
    const c = await seed(app).client({ credits: 10, tier: 'enterprise' });
    const read = await call(app.url, `/api/v1/products/${product.barcode}?include=images&variants=front`, {
      token: c.accessToken,
    });
    expect(read.status).toBe(200);
    const url = (read.body as any).images.front as string;

    const before = (await op.ok(TRACE, { u: url })).operatorTraceImage;
    expect(before).toEqual({
      grantId: expect.stringMatching(/\S/),
      clientId: c.clientId,
      accountId: c.accountId,
      barcode: product.barcode,
      variant: 'front',
      size: expect.any(String),
      format: expect.any(String),
      ip: '127.0.0.1',
      issuedAt: expect.any(String),
      expiresAt: expect.any(String),
      redeemed: false,
      redeemedAt: null,
      redeemedIp: null,
    });
    expect(Date.parse(before.expiresAt)).toBeGreaterThan(Date.parse(before.issuedAt));

    const delivered = Buffer.from(await (await fetch(url)).arrayBuffer());
    const after = (await op.ok(TRACE, { u: url })).operatorTraceImage;
    expect(after).toMatchObject({ grantId: before.grantId, redeemed: true, redeemedIp: '127.0.0.1' });
    expect(Date.parse(after.redeemedAt)).toBeGreaterThanOrEqual(Date.parse(before.issuedAt));
    // The token alone traces as the URL does.
    const token = new URL(url).pathname.split('/').pop()!;
    expect((await op.ok(TRACE, { u: token })).operatorTraceImage.grantId).toBe(before.grantId);

    const leaked = await sharp(delivered).resize(480, 480, { fit: 'inside' }).jpeg({ quality: 80 }).toBuffer();
    const found = (await op.ok(IDENTIFY, { d: leaked.toString('base64') })).operatorIdentifyImage;
    expect(found).toMatchObject({
      barcode: product.barcode,
      variant: 'front',
      clientId: c.clientId,
      accountId: c.accountId,
    });
    expect(found.confidence).toBeGreaterThan(0.9);
    expect(found.confidence).toBeLessThanOrEqual(1);
    expect(found.grantId).toBe(before.grantId);

    const audit = await app.db.sql<{ action: string; actor: string; account_id: string | null; details: any }[]>`
      select action, actor, account_id, details from console_audit
      where action in ('image.trace', 'image.identify') and actor = ${op.email} order by audit_id`;
    expect(audit.map((a) => [a.action, a.account_id, a.details.client_id])).toEqual([
      ['image.trace', c.accountId, c.clientId],
      ['image.trace', c.accountId, c.clientId],
      ['image.trace', c.accountId, c.clientId],
      ['image.identify', c.accountId, c.clientId],
    ]);
  }, 120_000);

  it('an image never delivered has no client; bad input is refused with a code', async () => {
    const plain = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#5a8' } })
      .jpeg()
      .toBuffer();
    const none = (await op.ok(IDENTIFY, { d: plain.toString('base64') })).operatorIdentifyImage;
    expect(none).toMatchObject({ clientId: null, accountId: null, grantId: null });
    expect((await op.error(IDENTIFY, { d: 'AAAA' })).code).toBe('BAD_REQUEST');
    expect((await op.error(IDENTIFY, { d: 'A'.repeat(960_004) })).code).toBe('PAYLOAD_TOO_LARGE');
    const trace = await op.error(TRACE, { u: 'https://example.test/api/v1/image/not-a-token' });
    expect(trace.code).toBe('BAD_REQUEST');
    expect((await op.error(TRACE, { u: 'x'.repeat(4097) })).code).toBe('BAD_REQUEST');
  }, 60_000);
});
