// SQL of credit packages and top-up requests (docs/console.md#top-ups).
import type { Sql } from '../../platform/db/client.ts';
import type { PackageView, TopUpStatus, TopUpView } from './topups.views.ts';

interface PackageRow {
  package_id: string;
  credits: bigint;
  price: string;
  currency: string;
  active: boolean;
}

const packageView = (p: PackageRow): PackageView => ({
  packageId: p.package_id,
  credits: p.credits,
  price: p.price,
  currency: p.currency,
  active: p.active,
});

export async function packages(sql: Sql, includeInactive: boolean): Promise<PackageView[]> {
  const rows = await sql<PackageRow[]>`/* creditPackages */
    select package_id, credits, price::text, currency, active from credit_packages
    where active or ${includeInactive} order by credits`;
  return rows.map(packageView);
}

export async function upsertPackage(sql: Sql, p: PackageView): Promise<PackageView> {
  const [r] = await sql<PackageRow[]>`/* upsertPackage */
    insert into credit_packages (package_id, credits, price, currency, active)
    values (${p.packageId}, ${p.credits.toString()}::bigint, ${p.price}::numeric, ${p.currency}, ${p.active})
    on conflict (package_id) do update set credits = excluded.credits, price = excluded.price,
      currency = excluded.currency, active = excluded.active, updated_at = now()
    returning package_id, credits, price::text, currency, active`;
  return packageView(r);
}

interface TopUpRow {
  topup_id: string;
  account_id: string;
  account_name: string;
  package_id: string;
  credits: bigint;
  price: string;
  currency: string;
  status: TopUpStatus;
  requested_by: string | null;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
}

const topUpView = (t: TopUpRow): TopUpView => ({
  topUpId: t.topup_id,
  accountId: t.account_id,
  accountName: t.account_name,
  packageId: t.package_id,
  credits: t.credits,
  price: t.price,
  currency: t.currency,
  status: t.status,
  requestedBy: t.requested_by,
  requestedAt: t.requested_at,
  decidedBy: t.decided_by,
  decidedAt: t.decided_at,
  note: t.note,
});

const COLS = (sql: Sql) => sql`t.topup_id, t.account_id, a.name as account_name, t.package_id, t.credits, t.price::text,
  t.currency, t.status, t.requested_by, t.requested_at, t.decided_by, t.decided_at, t.note`;

/** A new request at the package's current terms; null when the package does not exist or is inactive. */
export async function insertTopUp(
  sql: Sql,
  t: { topUpId: string; accountId: string; packageId: string; requestedBy: string },
): Promise<TopUpView | null> {
  const rows = await sql<TopUpRow[]>`/* insertTopUp */
    with ins as (
      insert into topups (topup_id, account_id, package_id, credits, price, currency, requested_by)
      select ${t.topUpId}, ${t.accountId}, p.package_id, p.credits, p.price, p.currency, ${t.requestedBy}
      from credit_packages p where p.package_id = ${t.packageId} and p.active
      returning *)
    select ${COLS(sql)} from ins t join accounts a using (account_id)`;
  return rows[0] ? topUpView(rows[0]) : null;
}

export async function topUp(sql: Sql, id: string): Promise<TopUpView | null> {
  const rows = await sql<TopUpRow[]>`/* topUp */
    select ${COLS(sql)} from topups t join accounts a using (account_id) where t.topup_id = ${id}`;
  return rows[0] ? topUpView(rows[0]) : null;
}

export async function topUpsOf(sql: Sql, accountId: string): Promise<TopUpView[]> {
  const rows = await sql<TopUpRow[]>`/* topUpsOf */
    select ${COLS(sql)} from topups t join accounts a using (account_id)
    where t.account_id = ${accountId} order by t.requested_at desc limit 200`;
  return rows.map(topUpView);
}

export async function allTopUps(sql: Sql, status: TopUpStatus | null, limit: number): Promise<TopUpView[]> {
  const rows = await sql<TopUpRow[]>`/* allTopUps */
    select ${COLS(sql)} from topups t join accounts a using (account_id)
    where (${status}::text is null or t.status = ${status}) order by t.requested_at desc limit ${limit}`;
  return rows.map(topUpView);
}

/** Moves a pending request to `to`; null when it was not pending (already decided: nothing changes). */
export async function decide(
  sql: Sql,
  id: string,
  to: Exclude<TopUpStatus, 'pending'>,
  by: string,
  note: string | null,
): Promise<boolean> {
  const r = await sql`/* decideTopUp */
    update topups set status = ${to}, decided_by = ${by}, decided_at = now(), note = ${note}
    where topup_id = ${id} and status = 'pending'`;
  return r.count > 0;
}
