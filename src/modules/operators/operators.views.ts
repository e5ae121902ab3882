// What the operator fields return (docs/console.md#operators).

/** A signed-in operator acting through the operator console. */
export interface Operator {
  operatorId: string;
  email: string;
  sessionId: string;
  ip: string;
}

export interface OperatorSessionView {
  operatorId: string;
  email: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface AccountSummaryView {
  accountId: string;
  name: string;
  balance: bigint;
  createdAt: Date;
  owners: string[];
  clients: number;
}

export interface TraceView {
  grantId: string;
  clientId: string;
  accountId: string;
  barcode: string;
  variant: string;
  size: string;
  format: string;
  ip: string;
  issuedAt: string;
  expiresAt: string;
  redeemed: boolean;
  redeemedAt: string | null;
  redeemedIp: string | null;
}

export interface IdentifyView {
  barcode: string | null;
  variant: string | null;
  clientId: string | null;
  accountId: string | null;
  grantId: string | null;
  confidence: number | null;
  imageSimilarity: number | null;
}

export interface WebhookHealthView {
  queued: number;
  retrying: number;
  delivered: number;
  failed: number;
}
