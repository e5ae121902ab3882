// What the console's GraphQL fields return (docs/console.md#operations): plain values the services build from
// their rows, so the doors only translate. Amounts are bigint units of 1/10,000 credit (docs/billing.md).

const ROLES = ['owner', 'developer', 'billing', 'viewer'] as const;
/** A person's role in an account (docs/console.md#roles). */
export type Role = (typeof ROLES)[number];

export interface MemberView {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  emailVerified: boolean;
  createdAt: Date;
}

export interface SessionView {
  user: MemberView;
  accountId: string;
  accountName: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface InvitationView {
  invitationId: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface AuditView {
  id: string;
  at: Date;
  actorKind: 'user' | 'operator' | 'system';
  actor: string | null;
  action: string;
  target: string | null;
  details: string;
  ip: string | null;
}

export interface AuditPage {
  entries: AuditView[];
  nextBefore: string | null;
}

export interface BucketView {
  limit: number;
  remaining: number;
  /** When the bucket's window ends and it refills. */
  reset: Date;
}

export interface ClientBudgetView {
  clientId: string;
  name: string;
  mode: 'live' | 'test';
  minute: BucketView;
  day: BucketView;
}

export interface OverviewView {
  balance: bigint;
  spentToday: bigint;
  spentThisMonth: bigint;
  asOf: Date;
  series: { day: string; amount: bigint; requests: bigint }[];
  budgets: ClientBudgetView[];
}

export interface ApiClientView {
  clientId: string;
  name: string;
  mode: 'live' | 'test';
  tier: 'free' | 'standard' | 'enterprise';
  enabled: boolean;
  ipAllowlist: string[];
  scopeBrands: string[] | null;
  scopeOwnerships: string[] | null;
  expiresAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  keyHint: string | null;
}

export interface IssuedKeyView {
  client: ApiClientView;
  apiKey: string;
  /** A ready-to-paste token exchange with this key. */
  curl: string;
  previousKeyValidUntil: Date | null;
  sessionsEndedAt: Date | null;
}

export interface UsageRowView {
  day: string;
  clientId: string | null;
  clientName: string | null;
  mode: 'live' | 'test';
  action: string;
  scope: string | null;
  variant: string | null;
  requests: bigint;
  units: bigint;
  amount: bigint;
}

export interface UsageView {
  from: string;
  to: string;
  rows: UsageRowView[];
  totalRequests: bigint;
  totalAmount: bigint;
}

export interface LedgerEntryView {
  id: string;
  at: Date;
  kind: string;
  amount: bigint;
  balanceAfter: bigint;
  clientId: string | null;
  requestId: string | null;
  reason: string | null;
}

export interface LedgerPage {
  entries: LedgerEntryView[];
  nextBefore: string | null;
}

/** The parts of an HTTP request the console needs, whichever door it came by (GraphQL or a CSV route). */
export interface ConsoleRequest {
  ip: string;
  /** The origin the request came to (links in mails when PUBLIC_BASE_URL is unset). */
  origin: string;
  /** The Cookie header. */
  cookie: string | undefined;
  /** The X-CSRF-Token header. */
  csrf: string | undefined;
  /** An Authorization header was sent: console operations refuse API tokens (docs/console.md#sessions-and-csrf). */
  bearer: boolean;
  /** Whether the request came over TLS (the cookie is then Secure). */
  secure: boolean;
  /** Sets a cookie on the response (one per response). */
  setCookie(value: string): void;
}
