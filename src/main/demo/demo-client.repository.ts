// The demo client made by `npm start` on an empty database (src/main/demo/demo-client.ts): found by the names it was
// created with, so every later start can show it and `npm run admin -- demo-key` can give it a fresh key.
import type { Sql } from '../../platform/db/client.ts';

export const DEMO_ACCOUNT_NAME = 'Demo';
export const DEMO_CLIENT_NAME = 'Demo client';
/** Its test-mode twin (docs/test-mode.md): reads the sandbox for free. */
export const DEMO_TEST_CLIENT_NAME = 'Demo test client';

export interface DemoClientRow {
  client_id: string;
  account_id: string;
  balance: bigint;
  enabled: boolean;
}

export async function findDemoClient(sql: Sql, name = DEMO_CLIENT_NAME): Promise<DemoClientRow | null> {
  const [row] = await sql<DemoClientRow[]>`/* demoClient */
    select c.client_id, c.account_id, a.balance, c.enabled
    from api_clients c join accounts a using (account_id)
    where a.name = ${DEMO_ACCOUNT_NAME} and c.name = ${name}
    order by c.created_at limit 1`;
  return row ?? null;
}
