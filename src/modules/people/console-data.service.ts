// The account data of the console (docs/console.md#operations): overview, API clients, usage, ledger and
// webhooks, read and changed for a signed-in person whose role allows it, every change audit-logged.
import { AppError } from '../../kernel/errors.ts';
import type {
  ApiClientView,
  ConsoleRequest,
  IssuedKeyView,
  LedgerPage,
  OverviewView,
  UsageView,
} from './console.views.ts';
import type { Member } from './people.service.ts';

/** A webhook subscription as the console shows it (the webhooks module's view plus its client). */
export interface WebhookRow {
  id: string;
  clientId: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
}

export interface WebhookDeliveryRow {
  delivery_id: string;
  event: string;
  barcode: string | null;
  kind: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
}

export interface ClientInput {
  name: string;
  mode: 'live' | 'test';
  ipAllowlist?: string[] | null;
  scopeBrands?: string[] | null;
  scopeOwnerships?: string[] | null;
  expiresAt?: Date | null;
}

export interface ClientPatch {
  name?: string | null;
  enabled?: boolean | null;
  ipAllowlist?: string[] | null;
  scopeBrands?: string[] | null;
  scopeOwnerships?: string[] | null;
  expiresAt?: Date | null;
}

const notYet = (): never => {
  throw new AppError('service_unavailable', 'This console operation is not implemented yet.');
};

export class ConsoleDataService {
  async overview(_m: Member): Promise<OverviewView> {
    return notYet();
  }
  async clients(_m: Member): Promise<ApiClientView[]> {
    return notYet();
  }
  async usage(_m: Member, _q: { from?: Date | null; to?: Date | null }): Promise<UsageView> {
    return notYet();
  }
  async ledger(_m: Member, _q: { first?: number | null; before?: string | null }): Promise<LedgerPage> {
    return notYet();
  }
  async webhooks(_m: Member): Promise<WebhookRow[]> {
    return notYet();
  }
  async webhookDeliveries(_m: Member, _id: string, _limit: number): Promise<WebhookDeliveryRow[]> {
    return notYet();
  }
  async createClient(_r: ConsoleRequest, _m: Member, _input: ClientInput): Promise<IssuedKeyView> {
    return notYet();
  }
  async updateClient(_r: ConsoleRequest, _m: Member, _id: string, _patch: ClientPatch): Promise<ApiClientView> {
    return notYet();
  }
  async rotateKey(_r: ConsoleRequest, _m: Member, _id: string, _now: boolean): Promise<IssuedKeyView> {
    return notYet();
  }
  async revokeSessions(_r: ConsoleRequest, _m: Member, _id: string): Promise<ApiClientView> {
    return notYet();
  }
  async createWebhook(
    _r: ConsoleRequest,
    _m: Member,
    _clientId: string,
    _body: { url: string; events: string[] },
  ): Promise<{ webhook: WebhookRow; secret: string }> {
    return notYet();
  }
  async updateWebhook(
    _r: ConsoleRequest,
    _m: Member,
    _id: string,
    _body: Record<string, unknown>,
  ): Promise<WebhookRow> {
    return notYet();
  }
  async deleteWebhook(_r: ConsoleRequest, _m: Member, _id: string): Promise<boolean> {
    return notYet();
  }
  async testWebhook(_r: ConsoleRequest, _m: Member, _id: string): Promise<WebhookDeliveryRow> {
    return notYet();
  }
  async replayWebhook(_r: ConsoleRequest, _m: Member, _id: string, _since: Date): Promise<number> {
    return notYet();
  }
  async rotateWebhookSecret(
    _r: ConsoleRequest,
    _m: Member,
    _id: string,
  ): Promise<{ webhook: WebhookRow; secret: string }> {
    return notYet();
  }
}
