// SQL of the sandbox catalog. Run on the sandbox pool (search_path `sandbox, public`), so `products` here is the
// sandbox's table (docs/test-mode.md#the-sandbox-catalog).
import type { Sql } from '../../platform/db/client.ts';

export async function sandboxSize(sql: Sql): Promise<number> {
  const [r] = await sql<{ n: number }[]>`/* sandboxSize */ select count(*)::int as n from products`;
  return r.n;
}

export interface SandboxChange {
  gtin14: string;
  barcode: string;
  updated_at: Date;
}

/**
 * Changes one sandbox product visibly (its description gains or loses a "(changed …)" note), so that test clients'
 * webhooks get a `product.updated` event. The product is the given one, else the least recently changed.
 */
export async function changeSandboxProduct(
  sql: Sql,
  gtin14: string | null,
  note: string,
): Promise<SandboxChange | null> {
  const rows = await sql<SandboxChange[]>`/* sandboxChange */
    update products p
    set product_description = case
          when p.product_description like '%(changed %' then regexp_replace(p.product_description, ' ?\\(changed [^)]*\\)$', '')
          else concat_ws(' ', p.product_description, ${`(changed ${note})`}::text)
        end,
        updated_at = now()
    where p.gtin14 = coalesce(${gtin14}::char(14), (select gtin14 from products order by updated_at, gtin14 limit 1))
    returning p.gtin14, p.barcode, p.updated_at`;
  return rows[0] ?? null;
}
