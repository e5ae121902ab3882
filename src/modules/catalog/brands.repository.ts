// Brands as the catalog spells them, for checking a client's scope filter (docs/operations.md#scoped-clients):
// a scope brand matches a product's brand as a whole name, ignoring case and surrounding spaces.
import type { Sql } from '../../platform/db/client.ts';

interface BrandMatch {
  brand: string;
  /** Some product has exactly this brand (ignoring case and surrounding spaces). */
  known: boolean;
  /** Up to 3 catalog brands that contain it or that it contains (for "did you mean"). */
  similar: string[];
}

async function matchBrands(sql: Sql, brands: string[]): Promise<BrandMatch[]> {
  if (brands.length === 0) return [];
  return sql<BrandMatch[]>`/* matchBrands */
    select w.brand,
      exists (select 1 from products p where lower(trim(p.brand)) = lower(trim(w.brand))) as known,
      coalesce((select array_agg(s.brand order by s.brand) from (
        select distinct p.brand from products p
        where strpos(lower(p.brand), lower(trim(w.brand))) > 0 or strpos(lower(trim(w.brand)), lower(p.brand)) > 0
        order by p.brand limit 3) s), '{}') as similar
    from unnest(${brands}::text[]) with ordinality as w(brand, n)
    order by w.n`;
}

/** One sentence per scope brand that matches no product in the catalog. */
export async function unknownBrandWarnings(sql: Sql, brands: string[] | null | undefined): Promise<string[]> {
  if (!brands?.length) return [];
  return (await matchBrands(sql, brands))
    .filter((m) => !m.known)
    .map(
      (m) =>
        `brand "${m.brand}" matches no product in the catalog (a scope brand must equal a product's brand, ` +
        `ignoring case)${m.similar.length ? `: did you mean ${m.similar.map((s) => `"${s}"`).join(' or ')}?` : ''}`,
    );
}
