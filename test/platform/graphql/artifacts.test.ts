// Schema artifacts: schema/schema.graphql is current (`npm run schema:check`, which fails on a stale copy),
// and a consumer's graphql-codegen run over it (client preset) produces a typed client that type-checks
// and works against the server.

import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codegenConfig } from '../../../codegen.ts';
import { ProductCardQuery } from '../../consumer/product-card.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { call } from '../../helpers/http.ts';
import { repoRoot as root } from '../../helpers/paths.ts';
import { seed } from '../../helpers/testkit.ts';

const run = promisify(execFile);
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'kc-codegen-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('schema/schema.graphql', () => {
  it('schema:check passes on the checked-in file and fails on a stale one', async () => {
    const ok = await run(process.execPath, ['--import', 'tsx', 'src/main/cli/schema-print.cli.ts', '--check'], {
      cwd: root,
    });
    expect(ok.stdout).toContain('up to date');
    const stale = path.join(tmp, 'stale.graphql');
    await writeFile(
      stale,
      (await readFile(path.join(root, 'schema/schema.graphql'), 'utf8')).replace('bulkCheck', 'bulkChecks'),
    );
    await expect(
      run(process.execPath, ['--import', 'tsx', 'src/main/cli/schema-print.cli.ts', '--check', '--file', stale], {
        cwd: root,
      }),
    ).rejects.toMatchObject({ code: 1 });
  }, 30_000);
});

describe('consumer codegen', () => {
  it('generates the typed client from the SDL; it matches the checked-in one and type-checks', async () => {
    const out = path.join(tmp, 'app');
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await generate({ ...codegenConfig(path.join(out, 'gql') + '/'), silent: true }, true);
    } finally {
      process.chdir(cwd);
    }
    for (const f of ['gql/graphql.ts', 'gql/persisted-documents.json']) {
      expect(await readFile(path.join(out, f), 'utf8')).toBe(
        await readFile(path.join(root, 'test/consumer', f), 'utf8'),
      );
    }
    await cp(path.join(root, 'test/consumer/product-card.ts'), path.join(out, 'product-card.ts'));
    await writeFile(
      path.join(out, 'use.ts'),
      [
        "import type { ResultOf } from '@graphql-typed-document-node/core';",
        "import { ProductCardQuery } from './product-card.ts';",
        'type Card = ResultOf<typeof ProductCardQuery>;',
        'export const brand = (c: Card): string | undefined => c.product?.productMeta.brand;',
        'export const url = (c: Card): string | null | undefined => c.product?.images.front;',
        '// @ts-expect-error: not selected, so not in the type',
        'export const missing = (c: Card) => c.product?.productMeta.ingredients;',
        "import { ShelfCheckQuery } from './product-card.ts';",
        'type Check = ResultOf<typeof ShelfCheckQuery>;',
        "export const err = (c: Check): 'INVALID_BARCODE' | 'OUT_OF_SCOPE' | null | undefined => c.bulkCheck[0]?.error;",
        '// @ts-expect-error: enums are unions, not strings',
        "export const bogus: Check['bulkCheck'][number]['error'] = 'SOMETHING_ELSE';",
        'export const id = (c: Card): string | undefined => c.product?.id;',
      ].join('\n'),
    );
    await writeFile(
      path.join(out, 'tsconfig.json'),
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
          typeRoots: [path.join(root, 'node_modules/@types')],
          baseUrl: '.',
          paths: { '*': [path.join(root, 'node_modules/*')] },
        },
        include: ['**/*.ts'],
      }),
    );
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const res = await run(process.execPath, [tsc, '-p', path.join(out, 'tsconfig.json')], { cwd: out }).catch((e) => e);
    expect(`${res.stdout ?? ''}${res.stderr ?? ''}`).toBe('');
  }, 60_000);

  it('the typed document runs against the server', async () => {
    const app: TestApp = await startTestApp();
    try {
      const client = await seed(app).client({ credits: 10, tier: 'enterprise' });
      const p = await seed(app).product({ meta: 'full', imageRows: ['front'] });
      const res = await call(app.url, '/graphql', {
        token: client.accessToken,
        body: { query: print(ProductCardQuery), variables: { barcode: p.barcode } },
      });
      const data = res.body.data as ResultOf<typeof ProductCardQuery>;
      expect(data.product?.productMeta.brand).toBe(p.brand);
      expect(data.product?.productMeta.bracha).toBe('SHEHAKOL');
      expect(data.product?.images.front).toMatch(/\/api\/v1\/image\//);
    } finally {
      await app.close();
    }
  });
});
