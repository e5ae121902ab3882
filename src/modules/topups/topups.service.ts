// Top-up requests (docs/console.md#top-ups): a person asks for a credit package; an operator confirms payment
// and the account is credited exactly once, with a ledger row naming the top-up. Confirming marks the request
// first and then grants under the top-up's id as idempotency key: a second confirmation, on any node, replays
// the same grant instead of crediting again, and a grant interrupted after the mark is completed by confirming
// again.
import { parseCredits, unitsToString } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import { newUlid } from '../../kernel/ids.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { AccountsService } from '../accounts/index.ts';
import type { AuditRecord, ConsoleRequest, Member } from '../people/index.ts';
import * as repo from './topups.repository.ts';
import type { PackageView, TopUpStatus, TopUpView } from './topups.views.ts';

export interface Actor {
  operatorId: string;
  email: string;
  ip: string;
}

const ID = /^tu_[0-9A-HJKMNP-TV-Z]{26}$/;
const MAX_PACKAGE_UNITS = 10_000_000n * 10_000n;

export class TopUpsService {
  constructor(private readonly d: { sql: Sql; accounts: AccountsService; audit: (a: AuditRecord) => Promise<void> }) {}

  packages(includeInactive: boolean): Promise<PackageView[]> {
    return repo.packages(this.d.sql, includeInactive);
  }

  listForAccount(m: Member): Promise<TopUpView[]> {
    return repo.topUpsOf(this.d.sql, m.accountId);
  }

  private async ownTopUp(accountId: string | null, id: string): Promise<TopUpView> {
    const t = ID.test(id) ? await repo.topUp(this.d.sql, id) : null;
    if (!t || (accountId !== null && t.accountId !== accountId))
      throw new AppError('not_found', 'No top-up with that id.');
    return t;
  }

  async request(_r: ConsoleRequest, m: Member, packageId: string): Promise<TopUpView> {
    if (!/^[a-z0-9_-]{1,40}$/.test(packageId)) throw new AppError('not_found', 'No active package with that id.');
    const pending = (await repo.topUpsOf(this.d.sql, m.accountId)).filter((t) => t.status === 'pending');
    if (pending.length >= 5) throw new AppError('conflict', 'At most 5 pending top-ups; cancel one first.');
    const t = await repo.insertTopUp(this.d.sql, {
      topUpId: `tu_${newUlid()}`,
      accountId: m.accountId,
      packageId,
      requestedBy: m.email,
    });
    if (!t) throw new AppError('not_found', 'No active package with that id.');
    await this.d.audit({
      accountId: m.accountId,
      actorKind: 'user',
      actorId: m.userId,
      actor: m.email,
      action: 'topup.request',
      target: t.topUpId,
      details: { package_id: packageId, credits: unitsToString(t.credits), price: t.price, currency: t.currency },
      ip: m.ip,
    });
    return t;
  }

  async cancel(_r: ConsoleRequest, m: Member, id: string): Promise<TopUpView> {
    const t = await this.ownTopUp(m.accountId, id);
    if (!(await repo.decide(this.d.sql, t.topUpId, 'cancelled', m.email, null)))
      throw new AppError('conflict', `This top-up is ${t.status}, no longer pending.`);
    await this.d.audit({
      accountId: m.accountId,
      actorKind: 'user',
      actorId: m.userId,
      actor: m.email,
      action: 'topup.cancel',
      target: t.topUpId,
      ip: m.ip,
    });
    return this.ownTopUp(m.accountId, id);
  }

  listAll(status: TopUpStatus | null, limit: number): Promise<TopUpView[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new AppError('bad_request', 'first: 1 to 200.');
    return repo.allTopUps(this.d.sql, status, limit);
  }

  async confirm(o: Actor, id: string): Promise<TopUpView> {
    const t = await this.ownTopUp(null, id);
    const marked = await repo.decide(this.d.sql, t.topUpId, 'confirmed', o.email, null);
    const now = marked ? { ...t, status: 'confirmed' as const } : await this.ownTopUp(null, id);
    if (now.status !== 'confirmed')
      throw new AppError('conflict', `This top-up is ${now.status}; it cannot be confirmed.`);
    // Idempotent under the top-up's id: credited once however many confirmations arrive.
    const g = await this.d.accounts.grantCredits(
      t.accountId,
      { amount: t.credits, reason: `top-up ${t.topUpId} (package ${t.packageId}, ${t.price} ${t.currency})` },
      `topup:${t.topUpId}`,
    );
    if (!g.replayed)
      await this.d.audit({
        accountId: t.accountId,
        actorKind: 'operator',
        actorId: o.operatorId,
        actor: o.email,
        action: 'topup.confirm',
        target: t.topUpId,
        details: { credits: unitsToString(t.credits), balance_after: unitsToString(g.balance) },
        ip: o.ip,
      });
    return this.ownTopUp(null, id);
  }

  async reject(o: Actor, id: string, note: string): Promise<TopUpView> {
    const n = note.trim();
    if (n.length < 1 || n.length > 500) throw new AppError('bad_request', 'note: 1 to 500 characters.');
    const t = await this.ownTopUp(null, id);
    if (!(await repo.decide(this.d.sql, t.topUpId, 'rejected', o.email, n)))
      throw new AppError('conflict', `This top-up is ${t.status}, no longer pending.`);
    await this.d.audit({
      accountId: t.accountId,
      actorKind: 'operator',
      actorId: o.operatorId,
      actor: o.email,
      action: 'topup.reject',
      target: t.topUpId,
      details: { note: n },
      ip: o.ip,
    });
    return this.ownTopUp(null, id);
  }

  async savePackage(
    o: Actor,
    p: { packageId: string; credits: number; price: string; currency: string; active: boolean },
  ): Promise<PackageView> {
    if (!/^[a-z0-9_-]{1,40}$/.test(p.packageId)) throw new AppError('bad_request', 'packageId: 1–40 of a-z 0-9 _ -.');
    const units = parseCredits(p.credits) ?? 0n;
    if (units <= 0n || units > MAX_PACKAGE_UNITS)
      throw new AppError('bad_request', 'credits: more than 0, at most 10,000,000.');
    if (!/^[0-9]{1,10}(\.[0-9]{1,2})?$/.test(p.price))
      throw new AppError('bad_request', 'price: a decimal with at most 2 places.');
    if (!/^[A-Z]{3}$/.test(p.currency)) throw new AppError('bad_request', 'currency: 3 capital letters (ISO 4217).');
    const saved = await repo.upsertPackage(this.d.sql, { ...p, credits: units });
    await this.d.audit({
      accountId: null,
      actorKind: 'operator',
      actorId: o.operatorId,
      actor: o.email,
      action: 'package.save',
      target: p.packageId,
      details: { credits: unitsToString(units), price: p.price, currency: p.currency, active: p.active },
      ip: o.ip,
    });
    return saved;
  }
}
