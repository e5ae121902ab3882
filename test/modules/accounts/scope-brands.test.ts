// Scoped clients: a scope brand must equal a catalog brand (ignoring case). "Osem" alone matches nothing when the
// catalog says "Osem אסם": the CLI refuses it with a suggestion, the admin API accepts it with a warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { cliJson, runNpm } from '../../helpers/cli.ts';
import { call } from '../../helpers/http.ts';
import { exchangeKey, seed } from '../../helpers/testkit.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const product = async (brand: string) => (await seed(app).product({ brand })).barcode;

describe('scope brands', () => {
  it('match whole catalog brands; unknown ones are refused by the CLI and flagged by the admin API', async () => {
    const osem = await product('Osem אסם');
    const other = await product('Elite עלית');
    const acct = await seed(app).account({ credits: 5 });
    const clientsPath = `/admin/v1/accounts/${acct.accountId}/clients`;

    const loose = await call(app.url, clientsPath, {
      token: app.adminToken,
      body: { name: 'loose', tier: 'standard', scope: { brands: ['Osem'] } },
    });
    expect(loose.status).toBe(201);
    expect(loose.body.warnings).toEqual([
      expect.stringMatching(/brand "Osem" matches no product.*did you mean "Osem אסם"/),
    ]);

    const exact = await call(app.url, clientsPath, {
      token: app.adminToken,
      body: { name: 'exact', tier: 'standard', scope: { brands: ['osem אסם'] } },
    });
    expect(exact.status).toBe(201);
    expect(exact.body.warnings).toBeUndefined();
    const { accessToken } = await exchangeKey(app.url, exact.body.client_id, exact.body.api_key);
    const q = '?include=product_meta';
    expect((await call(app.url, `/api/v1/products/${osem}${q}`, { token: accessToken })).status).toBe(200);
    expect((await call(app.url, `/api/v1/products/${other}${q}`, { token: accessToken })).status).toBe(403);

    const env = { ...app.env, LOG_LEVEL: 'warn' };
    const base = ['admin', '--', 'create-client', '--account', acct.accountId, '--tier', 'standard'];
    const [refused, created] = await Promise.all([
      runNpm([...base, '--name', 'cli-loose', '--brands', 'Osem'], env),
      runNpm([...base, '--name', 'cli-exact', '--brands', 'Osem אסם,Elite עלית'], env),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error: bad_request: brand "Osem" matches no product .*did you mean "Osem אסם"\?.*--allow-unknown-brands/,
    );
    expect(cliJson(created).scope.brands).toEqual(['Osem אסם', 'Elite עלית']);
  });
});
