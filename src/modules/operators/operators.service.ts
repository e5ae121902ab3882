// Operator users (docs/console.md#operators): created with the admin CLI, signed in with a password and a
// TOTP code, acting on every account through the operator console; each action is audit-logged.
import { AppError } from '../../kernel/errors.ts';
import type { ConsoleRequest } from '../people/index.ts';
import type {
  AccountSummaryView,
  IdentifyView,
  Operator,
  OperatorSessionView,
  TraceView,
  WebhookHealthView,
} from './operators.views.ts';

const notYet = (): never => {
  throw new AppError('service_unavailable', 'This console operation is not implemented yet.');
};

export class OperatorsService {
  async currentSession(_r: ConsoleRequest): Promise<OperatorSessionView | null> {
    return notYet();
  }
  async operator(_r: ConsoleRequest, _mutation: boolean): Promise<Operator> {
    return notYet();
  }
  async signIn(
    _r: ConsoleRequest,
    _a: { email: string; password: string; totp: string },
  ): Promise<OperatorSessionView> {
    return notYet();
  }
  async signOut(_r: ConsoleRequest, _o: Operator): Promise<boolean> {
    return notYet();
  }
  async accounts(_o: Operator, _q: { search?: string | null; first?: number | null }): Promise<AccountSummaryView[]> {
    return notYet();
  }
  async grantCredits(
    _o: Operator,
    _a: { accountId: string; amount: number; reason: string; idempotencyKey: string },
  ): Promise<bigint> {
    return notYet();
  }
  async setPrices(_o: Operator, _prices: { action: string; credits: number }[]): Promise<Date> {
    return notYet();
  }
  async trace(_o: Operator, _url: string): Promise<TraceView> {
    return notYet();
  }
  async identify(_o: Operator, _imageBase64: string): Promise<IdentifyView> {
    return notYet();
  }
  async webhookHealth(_o: Operator): Promise<WebhookHealthView> {
    return notYet();
  }
}
