// Top-up requests (docs/console.md#top-ups): a person asks for a credit package; an operator confirms payment
// and the account is credited exactly once, with a ledger row naming the top-up.
import { AppError } from '../../kernel/errors.ts';
import type { ConsoleRequest, Member } from '../people/index.ts';
import type { PackageView, TopUpStatus, TopUpView } from './topups.views.ts';

const notYet = (): never => {
  throw new AppError('service_unavailable', 'This console operation is not implemented yet.');
};

export class TopUpsService {
  async packages(_includeInactive: boolean): Promise<PackageView[]> {
    return notYet();
  }
  async listForAccount(_m: Member): Promise<TopUpView[]> {
    return notYet();
  }
  async request(_r: ConsoleRequest, _m: Member, _packageId: string): Promise<TopUpView> {
    return notYet();
  }
  async cancel(_r: ConsoleRequest, _m: Member, _id: string): Promise<TopUpView> {
    return notYet();
  }
  async listAll(_status: TopUpStatus | null, _limit: number): Promise<TopUpView[]> {
    return notYet();
  }
  async confirm(_operator: { operatorId: string; email: string; ip: string }, _id: string): Promise<TopUpView> {
    return notYet();
  }
  async reject(
    _operator: { operatorId: string; email: string; ip: string },
    _id: string,
    _note: string,
  ): Promise<TopUpView> {
    return notYet();
  }
  async savePackage(
    _operator: { operatorId: string; email: string; ip: string },
    _p: { packageId: string; credits: number; price: string; currency: string; active: boolean },
  ): Promise<PackageView> {
    return notYet();
  }
}
