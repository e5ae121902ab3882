// `npm start`'s first-run story (docs/operations.md#first-start): with DEMO_PRODUCTS > 0 (the default outside
// production) an empty catalog gets a demo catalog, seeded with progress lines in the log, and an empty database a
// demo account + client whose api_key is shown once. Every start then ends with a banner on stderr (never mixed
// into the JSON log on stdout): where the API is, the demo client and the command that mints it a fresh key.

import { unitsToString } from '../../kernel/credits.ts';
import type { Logger } from '../../kernel/logger.ts';
import { SAMPLE_BARCODE, seedSandbox } from '../../modules/sandbox/index.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { Config } from '../config.ts';
import type { DevKeys } from '../dev-keys.ts';
import { DEMO_TEST_CLIENT_NAME, ensureDemoClient, findDemoClient } from './demo-client.ts';

const PROGRESS_EVERY_MS = 3000;

/**
 * The pages a person opens in a browser first, one banner line each (docs/guides/getting-started.md). The one
 * place to name another: the console (/console) adds its line here.
 */
const BROWSER_PAGES: [what: string, path: string][] = [
  ['Reference and guides', '/docs'],
  ['GraphiQL (a sample query ready to run)', '/graphql'],
  ['Console (sign up, keys, usage; docs/console.md)', '/console'],
];

/** Where the operator console is served: the admin listener when ADMIN_PORT is set (docs/console.md#operators). */
const operatorBase = (service: DemoTarget, config: Config) =>
  service.adminUrl ?? (config.admin.port ? `http://${config.admin.host}:${config.admin.port}` : service.url);

/** A started Service, or the primary of WORKERS > 1 once its workers listen: where to seed and what to print. */
export interface DemoTarget {
  url: string;
  /** The admin listener (ADMIN_PORT) when it is known; else the operator console is on `url` or ADMIN_HOST:PORT. */
  adminUrl?: string;
  infra: { sql: Sql; sandboxSql: Sql; log: Logger; blobs: BlobStore; config: Config };
}

export async function prepareDemo(
  service: DemoTarget,
  config: Config,
  devKeys: Pick<DevKeys, 'generated' | 'file'>,
): Promise<void> {
  const { sql, log } = service.infra;
  const lines: string[] = [
    `Kosher Catalog API: ${service.url}  (REST /api/v1, GraphQL /graphql, admin /admin/v1)`,
    ...BROWSER_PAGES.map(([what, path]) => `  ${what}: ${service.url}${path}`),
    `  Operator console (operators: npm run admin -- operator create --email …): ${operatorBase(service, config)}/console/admin`,
  ];
  let sandbox: Promise<void> = Promise.resolve();
  if (config.demo.products > 0) {
    const [{ n }] = await sql<
      { n: number }[]
    >`/* catalogCount */ select count(*)::int as n from (select 1 from products limit 1) p`;
    if (n === 0) {
      const { seedCatalog } = await import('../../modules/seed/index.ts');
      const t0 = Date.now();
      const total = config.demo.products;
      log.info({ products: total }, 'seeding the demo catalog (first start only; the API already answers)');
      let last = t0;
      await seedCatalog(sql, service.infra.blobs, {
        products: total,
        seed: 1,
        // The documentation's sample barcode is the first product (docs/guides/getting-started.md).
        generator: { barcodes: [SAMPLE_BARCODE] },
        onProgress: (p) => {
          if (Date.now() - last < PROGRESS_EVERY_MS || p.done === total) return;
          last = Date.now();
          log.info(
            { done: p.done, total, templates: p.templates },
            `seeding the demo catalog: ${p.done}/${total} products written, ${p.templates} image templates rendered`,
          );
        },
      });
      log.info({ products: total, ms: Date.now() - t0 }, 'demo catalog seeded');
    }
    // Demo mode only (DEMO_PRODUCTS > 0): a deployment that seeds no demo catalog gets no demo credentials.
    const created = await ensureDemoClient(service.infra);
    // Test mode's sandbox (docs/test-mode.md), seeded after the banner so that the demo test client's first read is
    // quick; the first test read would seed it anyway (one transaction: never half a sandbox).
    sandbox = seedSandbox({ sandboxSql: service.infra.sandboxSql, blobs: service.infra.blobs, log }).catch((err) =>
      log.warn({ err }, 'seeding the sandbox catalog failed; the first test-mode read will try again'),
    );
    if (created) {
      lines.push(
        'Demo API client (the api_key is shown only now):',
        `  client_id: ${created.live.clientId}`,
        `  api_key:   ${created.live.apiKey}`,
        'Get an access token:',
        `  curl -s -X POST ${service.url}/api/v1/auth/token -H 'Content-Type: application/json' ` +
          `-d '{"client_id":"${created.live.clientId}","api_key":"${created.live.apiKey}"}'`,
        'Demo test client (test mode: the sandbox catalog, nothing is charged; shown only now):',
        `  test client_id: ${created.test.clientId}`,
        `  test api_key:   ${created.test.apiKey}`,
      );
    } else {
      const demo = await findDemoClient(sql);
      if (demo)
        lines.push(
          `Demo API client: ${demo.client_id} (account ${demo.account_id}, ${unitsToString(demo.balance)} credits left` +
            `${demo.enabled ? '' : ', disabled'})`,
          '  Its api_key was shown on the first start only. A fresh one: npm run admin -- demo-key',
        );
      const test = await findDemoClient(sql, DEMO_TEST_CLIENT_NAME);
      if (test)
        lines.push(`Demo test client: ${test.client_id} (test mode). A fresh key: npm run admin -- demo-key --test`);
    }
  }
  if (devKeys.generated.includes('ADMIN_TOKEN')) {
    lines.push(`Admin token (development, kept in ${devKeys.file}): ${config.admin.token}`);
  }
  process.stderr.write(`\n${lines.join('\n')}\n\n`);
  await sandbox;
}
