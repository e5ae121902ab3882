// Accounts and operator credit grants. Used by the admin API, the admin CLI and the demo start-up step.

import { MAX_BALANCE_UNITS, UNITS_PER_CREDIT, type Units, unitsToString } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import { newUlid } from '../../kernel/ids.ts';
import type { Sql } from '../../platform/db/client.ts';
import { assertIdShape, type CreateAccountInput, type GrantCreditsInput } from './accounts.input.ts';
import * as repo from './accounts.repository.ts';

/** docs/billing.md#opening-credits: a new account starts with 10 free credits unless the operator says otherwise. */
const WELCOME_CREDITS: Units = 10n * UNITS_PER_CREDIT;

export interface GrantResult {
  accountId: string;
  balance: Units;
  /** True when this call replayed an earlier grant with the same idempotency key (nothing was added). */
  replayed: boolean;
}

export class AccountsService {
  constructor(private readonly sql: Sql) {}

  async createAccount(input: CreateAccountInput): Promise<repo.AccountRow> {
    const credits = input.credits ?? WELCOME_CREDITS;
    if (credits < 0n) throw new AppError('bad_request', 'credits: must not be negative');
    const accountId = `acct_${newUlid()}`;
    return this.sql
      .begin(async (tx) => {
        const t = tx as unknown as Sql;
        const account = await repo.insertAccount(t, accountId, input.name);
        if (credits === 0n) return account;
        const balance = await repo.applyGrant(t, {
          accountId,
          amount: credits,
          kind: 'grant',
          reason: 'opening credits',
          idempotencyKey: null,
        });
        return { ...account, balance: balance! };
      })
      .catch(refuseOverCap);
  }

  async getAccount(accountId: string): Promise<repo.AccountRow> {
    assertIdShape('account', accountId);
    const a = await repo.accountById(this.sql, accountId);
    if (!a) throw new AppError('not_found', `No account ${accountId}.`);
    return a;
  }

  async hasAnyAccount(): Promise<boolean> {
    return (await repo.countAccounts(this.sql)) > 0;
  }

  /**
   * Grants (or, negative, takes back) credits once per idempotency key: a replay with the same key and the
   * same amount and reason answers what the first call answered; a different request under the key is 409.
   */
  async grantCredits(accountId: string, input: GrantCreditsInput, idempotencyKey: string): Promise<GrantResult> {
    assertIdShape('account', accountId);
    if (input.amount === 0n) throw new AppError('bad_request', 'amount: must not be zero');
    const replay = async (): Promise<GrantResult | null> => {
      const prior = await repo.grantByIdempotencyKey(this.sql, accountId, idempotencyKey);
      if (!prior) return null;
      if (prior.amount !== input.amount || prior.reason !== input.reason) {
        throw new AppError('idempotency_key_mismatch', 'This Idempotency-Key was used with a different request.');
      }
      return { accountId, balance: prior.balanceAfter, replayed: true };
    };
    const first = await replay();
    if (first) return first;
    try {
      const balance = await repo.applyGrant(this.sql, {
        accountId,
        amount: input.amount,
        kind: input.amount > 0n ? 'grant' : 'adjustment',
        reason: input.reason,
        idempotencyKey,
      });
      if (balance === null) throw new AppError('not_found', `No account ${accountId}.`);
      return { accountId, balance, replayed: false };
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === '23505') {
        // A concurrent call with the same key won the race: answer as it did.
        const again = await replay();
        if (again) return again;
      }
      if (isOverCap(e)) refuseOverCap(e);
      if (code === '23514') throw new AppError('conflict', 'amount: the balance cannot go below zero.');
      throw e;
    }
  }
}

/** A grant that would lift a balance past MAX_BALANCE_UNITS (the accounts_balance_cap constraint) is a 400. */
function isOverCap(e: unknown): boolean {
  const err = e as { code?: string; constraint_name?: string };
  return err.code === '23514' && err.constraint_name === 'accounts_balance_cap';
}

function refuseOverCap(e: unknown): never {
  if (isOverCap(e)) {
    throw new AppError('bad_request', `amount: a balance holds at most ${unitsToString(MAX_BALANCE_UNITS)} credits.`);
  }
  throw e;
}
