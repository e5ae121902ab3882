// SQL for the pricing table: the admin-set rate of every billable action, in units of 1/10,000 credit.
import type { Sql } from '../../platform/db/client.ts';

export interface PriceRow {
  action: string;
  rate: bigint;
  updated_at: Date;
}

export async function loadPricing(sql: Sql): Promise<PriceRow[]> {
  return sql<PriceRow[]>`/* pricingAll */ select action, rate, updated_at from pricing order by action`;
}

/** Sets the given rates in one statement; the row set of actions is fixed by migrations. */
export async function updatePricing(sql: Sql, rates: Map<string, bigint>): Promise<void> {
  const actions = [...rates.keys()];
  const values = actions.map((a) => String(rates.get(a)));
  await sql`/* pricingUpdate */
    update pricing p set rate = v.rate::bigint, updated_at = now()
    from unnest(${actions}::text[], ${values}::text[]) as v(action, rate)
    where p.action = v.action`;
}
