// `npm start` on an empty machine: seed a small demo catalog if the catalog is empty, and create a demo
// account + client (printed once, with a ready-to-paste curl line) if there are no accounts yet.
import type { Config } from './config.ts';
import type { Service } from './bootstrap.ts';
import { ensureDemoClient } from './admin/demo-client.ts';

export async function prepareDemo(service: Service, config: Config): Promise<void> {
  const { sql, log } = service.infra;
  if (config.DEMO_PRODUCTS > 0) {
    const [{ n }] = await sql<
      { n: number }[]
    >`/* catalogCount */ select count(*)::int as n from (select 1 from products limit 1) p`;
    if (n === 0) {
      const { seedCatalog } = await import('./seed/seed.ts');
      const t0 = Date.now();
      await seedCatalog(sql, service.infra.blobs, { products: config.DEMO_PRODUCTS, seed: 1 });
      log.info({ products: config.DEMO_PRODUCTS, ms: Date.now() - t0 }, 'demo catalog seeded');
    }
    // Demo mode only (DEMO_PRODUCTS > 0): a deployment that seeds no demo catalog gets no demo credentials.
    const demo = await ensureDemoClient(service.infra);
    if (demo) {
      process.stdout.write(
        `\nDemo API client (the api_key is shown only now):\n  client_id: ${demo.clientId}\n  api_key:   ${demo.apiKey}\n` +
          `Get an access token:\n  curl -s -X POST ${service.url}/api/v1/auth/token -H 'Content-Type: application/json' ` +
          `-d '{"client_id":"${demo.clientId}","api_key":"${demo.apiKey}"}'\n`,
      );
    }
  }
  if (config.generatedSecrets.includes('ADMIN_TOKEN')) {
    process.stdout.write(`\nAdmin token (development, kept in ${config.devKeysFile}): ${service.infra.adminToken}\n`);
  }
}
