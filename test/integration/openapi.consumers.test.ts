// REST consumers (docs/contracts.md): clients generated from schema/openapi.yaml by openapi-typescript (+
// openapi-fetch) and by @hey-api/openapi-ts type-check with the sample consumer, and their billed read works
// against the running server: typed `include` on the wire as the API expects it, the charge in the headers.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { provisionClient } from '../helpers/clients.ts';
import { productWith } from '../helpers/products-fixtures.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const consumer = path.join(root, 'test/consumer/rest');
const generated = path.join(consumer, 'generated');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);
let app: TestApp;

beforeAll(async () => {
  await rm(generated, { recursive: true, force: true });
  await mkdir(path.join(generated, 'openapi-typescript'), { recursive: true });
  app = await startTestApp();
}, 120_000);
afterAll(async () => {
  await app?.close();
});

describe('clients generated from schema/openapi.yaml', () => {
  it('openapi-typescript and @hey-api/openapi-ts both generate, and the consumer type-checks', async () => {
    await run(
      bin('openapi-typescript'),
      ['schema/openapi.yaml', '-o', path.join(generated, 'openapi-typescript/schema.ts')],
      {
        cwd: root,
      },
    );
    await run(
      bin('openapi-ts'),
      [
        '-i',
        './schema/openapi.yaml',
        '-o',
        path.join(generated, 'hey-api'),
        '-c',
        '@hey-api/client-fetch',
        '--no-log-file',
      ],
      { cwd: root },
    );
    await writeFile(
      path.join(generated, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          types: [],
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        },
        files: ['../product-read.ts'],
      }),
    );
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const res = await run(process.execPath, [tsc, '-p', path.join(generated, 'tsconfig.json')], { cwd: root }).catch(
      (e) => e,
    );
    expect(`${res.stdout ?? ''}${res.stderr ?? ''}`).toBe('');
  }, 120_000);

  it('both clients make a billed read against the server and see its charge', async () => {
    const { readWithHeyApi, readWithOpenapiFetch } = await import('../consumer/rest/product-read.ts');
    const c = await provisionClient(app, { credits: 10 });
    const p = await productWith(app.db.sql, ['front']);
    const viaFetch = await readWithOpenapiFetch(app.url, c.accessToken, p.barcode);
    expect(viaFetch).toEqual({ brand: p.brand, debited: '0.5' });
    const viaHey = await readWithHeyApi(app.url, c.clientId, c.apiKey, p.barcode);
    expect(viaHey).toEqual({ brand: p.brand, debited: '0.5' });
  }, 60_000);
});
