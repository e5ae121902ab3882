/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ConsoleActorKind =
  | 'OPERATOR'
  | 'SYSTEM'
  | 'USER';

export type ConsoleApiClientInput = {
  expiresAt?: string | null | undefined;
  /** CIDRs; at most 100. */
  ipAllowlist?: Array<string> | null | undefined;
  mode: ConsoleClientMode;
  name: string;
  scopeBrands?: Array<string> | null | undefined;
  scopeOwnerships?: Array<string> | null | undefined;
};

export type ConsoleApiClientPatch = {
  /** false also ends every session of the client. */
  enabled?: boolean | null | undefined;
  /** null: never. */
  expiresAt?: string | null | undefined;
  ipAllowlist?: Array<string> | null | undefined;
  name?: string | null | undefined;
  /** null: every brand. */
  scopeBrands?: Array<string> | null | undefined;
  scopeOwnerships?: Array<string> | null | undefined;
};

/** live spends the balance on the live catalog; test reads the sandbox and moves no credit. */
export type ConsoleClientMode =
  | 'LIVE'
  | 'TEST';

/** What a person may do in an account (docs/console.md#roles). */
export type ConsoleRole =
  /** Usage, ledger and top-ups; reads the rest. */
  | 'BILLING'
  /** API clients and keys, webhooks, test mode; reads the rest. */
  | 'DEVELOPER'
  /** Everything, including the team. */
  | 'OWNER'
  /** Reads everything, changes nothing. */
  | 'VIEWER';

export type OperatorHechsherInput = {
  dairyEquipment?: boolean;
  /** dairy, meat or pareve. */
  dairyMeatPareve: string;
  org: string;
  passover?: boolean;
  qualifiers?: Array<string>;
  /** As printed, e.g. OU-D (1–50 characters). */
  symbol: string;
};

/** Nutrition facts; amounts per serving, in the unit the field name ends with. */
export type OperatorNutritionInput = {
  addedSugarsG?: number | null | undefined;
  calciumMg?: number | null | undefined;
  calories?: number | null | undefined;
  cholesterolMg?: number | null | undefined;
  dietaryFiberG?: number | null | undefined;
  ironMg?: number | null | undefined;
  potassiumMg?: number | null | undefined;
  proteinG?: number | null | undefined;
  saturatedFatG?: number | null | undefined;
  servingSize?: string | null | undefined;
  servingsPerContainer?: string | null | undefined;
  sodiumMg?: number | null | undefined;
  totalCarbohydrateG?: number | null | undefined;
  totalFatG?: number | null | undefined;
  totalSugarsG?: number | null | undefined;
  transFatG?: number | null | undefined;
  vitaminDMcg?: number | null | undefined;
};

export type OperatorPackageInput = {
  active: boolean;
  credits: number;
  /** ISO 4217 (3 letters). */
  currency: string;
  /** 1–40 of a-z 0-9 _ -; an existing id is updated. */
  packageId: string;
  /** Decimal, at most 2 places. */
  price: string;
};

export type OperatorPriceInput = {
  /** e.g. products.get */
  action: string;
  credits: number;
};

/** The whole product_meta (saving replaces it), checked as PUT /admin/v1/products/{barcode} checks it. */
export type OperatorProductInput = {
  allergens?: Array<string> | null | undefined;
  /** hamotzi, mezonos, hagafen, haetz, haadama or shehakol. */
  bracha?: string | null | undefined;
  brand: string;
  category?: string | null | undefined;
  hechshers?: Array<OperatorHechsherInput> | null | undefined;
  ingredients?: string | null | undefined;
  kosherForPassover?: boolean | null | undefined;
  netWeight?: string | null | undefined;
  nutrition?: OperatorNutritionInput | null | undefined;
  ownership: string;
  productDescription?: string | null | undefined;
  productName: string;
};

/** A client tier: its default rate limits and whether its images are watermarked (see `pricing.tiers`). */
export type Tier =
  | 'ENTERPRISE'
  | 'FREE'
  | 'STANDARD';

export type TopUpStatus =
  | 'CANCELLED'
  /** Credited (once), with a ledger row naming the top-up. */
  | 'CONFIRMED'
  /** Waiting for an operator to confirm payment. */
  | 'PENDING'
  | 'REJECTED';

export type OperatorAccountsQueryVariables = Exact<{
  search?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type OperatorAccountsQuery = { operatorAccounts: Array<{ accountId: string, name: string, owners: Array<string>, balance: number, clients: number, createdAt: string }> };

export type OperatorGrantCreditsMutationVariables = Exact<{
  accountId: string | number;
  amount: number;
  reason: string;
  idempotencyKey: string;
}>;


export type OperatorGrantCreditsMutation = { operatorGrantCredits: number };

export type OperatorWebhookHealthQueryVariables = Exact<{ [key: string]: never; }>;


export type OperatorWebhookHealthQuery = { operatorWebhookHealth: { queued: number, retrying: number, delivered: number, failed: number, retries: number, oldestDueSeconds: number | null } };

export type OperatorSessionQueryQueryVariables = Exact<{ [key: string]: never; }>;


export type OperatorSessionQueryQuery = { operatorSession: { operatorId: string, email: string, csrfToken: string } | null };

export type OperatorSignInMutationVariables = Exact<{
  email: string;
  password: string;
  totp: string;
}>;


export type OperatorSignInMutation = { operatorSignIn: { operatorId: string, email: string, csrfToken: string } };

export type OperatorSignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type OperatorSignOutMutation = { operatorSignOut: boolean };

export type OperatorTraceImageQueryVariables = Exact<{
  url: string;
}>;


export type OperatorTraceImageQuery = { operatorTraceImage: { accountId: string, clientId: string, grantId: string, barcode: string, variant: string, size: string, format: string, ip: string, issuedAt: string, expiresAt: string, redeemed: boolean, redeemedAt: string | null, redeemedIp: string | null } };

export type OperatorIdentifyImageMutationVariables = Exact<{
  imageBase64: string;
}>;


export type OperatorIdentifyImageMutation = { operatorIdentifyImage: { accountId: string | null, clientId: string | null, grantId: string | null, barcode: string | null, variant: string | null, confidence: number | null, imageSimilarity: number | null } };

export type OperatorPricingQueryVariables = Exact<{ [key: string]: never; }>;


export type OperatorPricingQuery = { pricing: { currency: string, updatedAt: string, actions: Array<{ action: string, credits: number }> }, operatorPackages: Array<{ packageId: string, credits: number, price: string, currency: string, active: boolean }> };

export type OperatorSetPricesMutationVariables = Exact<{
  prices: Array<OperatorPriceInput> | OperatorPriceInput;
}>;


export type OperatorSetPricesMutation = { operatorSetPrices: string };

export type OperatorSavePackageMutationVariables = Exact<{
  input: OperatorPackageInput;
}>;


export type OperatorSavePackageMutation = { operatorSavePackage: { packageId: string } };

export type OperatorProductQueryVariables = Exact<{
  barcode: string;
}>;


export type OperatorProductQuery = { operatorProduct: { barcode: string, gtin14: string, brand: string, productName: string, netWeight: string | null, ownership: string, productDescription: string | null, category: string | null, bracha: string | null, kosherForPassover: boolean, ingredients: string | null, allergens: Array<string>, updatedAt: string, hechshers: Array<{ symbol: string, org: string, dairyMeatPareve: string, dairyEquipment: boolean, passover: boolean, qualifiers: Array<string> }>, nutrition: { servingSize: string | null, servingsPerContainer: string | null, calories: number | null, totalFatG: number | null, saturatedFatG: number | null, transFatG: number | null, cholesterolMg: number | null, sodiumMg: number | null, totalCarbohydrateG: number | null, dietaryFiberG: number | null, totalSugarsG: number | null, addedSugarsG: number | null, proteinG: number | null, vitaminDMcg: number | null, calciumMg: number | null, ironMg: number | null, potassiumMg: number | null } | null, images: Array<{ variant: string, format: string, width: number, height: number, fileSizeBytes: number, uploadedAt: string }> } | null };

export type OperatorSaveProductMutationVariables = Exact<{
  barcode: string;
  input: OperatorProductInput;
}>;


export type OperatorSaveProductMutation = { operatorSaveProduct: { barcode: string, outcome: string } };

export type OperatorUploadImageMutationVariables = Exact<{
  barcode: string;
  variant: string;
  contentType: string;
  imageBase64: string;
}>;


export type OperatorUploadImageMutation = { operatorUploadImage: { variant: string, width: number, height: number, changed: boolean | null } };

export type OperatorTopUpsQueryVariables = Exact<{
  status?: TopUpStatus | null | undefined;
  first?: number | null | undefined;
}>;


export type OperatorTopUpsQuery = { operatorTopUps: Array<{ topUpId: string, accountId: string, accountName: string, packageId: string, credits: number, price: string, currency: string, status: TopUpStatus, requestedAt: string, requestedBy: string | null, decidedAt: string | null, decidedBy: string | null }> };

export type OperatorConfirmTopUpMutationVariables = Exact<{
  topUpId: string | number;
}>;


export type OperatorConfirmTopUpMutation = { operatorConfirmTopUp: { topUpId: string, status: TopUpStatus } };

export type OperatorRejectTopUpMutationVariables = Exact<{
  topUpId: string | number;
  note: string;
}>;


export type OperatorRejectTopUpMutation = { operatorRejectTopUp: { topUpId: string, status: TopUpStatus } };

export type ConsoleSignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSignOutMutation = { consoleSignOut: boolean };

export type ConsoleResendVerificationMutationVariables = Exact<{ [key: string]: never; }>;


export type ConsoleResendVerificationMutation = { consoleResendVerification: { devLink: string | null } };

export type ConsoleAuditLogQueryVariables = Exact<{
  first?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type ConsoleAuditLogQuery = { consoleAuditLog: { nextBefore: string | null, entries: Array<{ id: string, at: string, actorKind: ConsoleActorKind, actor: string | null, action: string, target: string | null, details: string, ip: string | null }> } };

export type ConsoleSignInMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type ConsoleSignInMutation = { consoleSignIn: { accountId: string, accountName: string, csrfToken: string, role: ConsoleRole, expiresAt: string, user: { userId: string, email: string, name: string | null, emailVerified: boolean } } };

export type ConsoleSignUpMutationVariables = Exact<{
  email: string;
  password: string;
  accountName: string;
  name?: string | null | undefined;
}>;


export type ConsoleSignUpMutation = { consoleSignUp: { devLink: string | null } };

export type ConsoleVerifyEmailMutationVariables = Exact<{
  token: string;
}>;


export type ConsoleVerifyEmailMutation = { consoleVerifyEmail: { accountId: string, accountName: string, csrfToken: string, role: ConsoleRole, expiresAt: string, user: { userId: string, email: string, name: string | null, emailVerified: boolean } } };

export type ConsoleRequestPasswordResetMutationVariables = Exact<{
  email: string;
}>;


export type ConsoleRequestPasswordResetMutation = { consoleRequestPasswordReset: { devLink: string | null } };

export type ConsoleResetPasswordMutationVariables = Exact<{
  token: string;
  password: string;
}>;


export type ConsoleResetPasswordMutation = { consoleResetPassword: boolean };

export type ConsoleAcceptInvitationMutationVariables = Exact<{
  token: string;
  password: string;
  name?: string | null | undefined;
}>;


export type ConsoleAcceptInvitationMutation = { consoleAcceptInvitation: { accountId: string, accountName: string, csrfToken: string, role: ConsoleRole, expiresAt: string, user: { userId: string, email: string, name: string | null, emailVerified: boolean } } };

export type ConsoleApiClientsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleApiClientsQuery = { consoleApiClients: Array<{ clientId: string, name: string, mode: ConsoleClientMode, tier: Tier, enabled: boolean, ipAllowlist: Array<string>, scopeBrands: Array<string> | null, expiresAt: string | null, createdAt: string, lastUsedAt: string | null, keyHint: string | null }> };

export type ConsoleCreateApiClientMutationVariables = Exact<{
  input: ConsoleApiClientInput;
}>;


export type ConsoleCreateApiClientMutation = { consoleCreateApiClient: { apiKey: string, curl: string, client: { clientId: string, name: string } } };

export type ConsoleRotateApiKeyMutationVariables = Exact<{
  clientId: string | number;
  retirePreviousNow?: boolean | null | undefined;
}>;


export type ConsoleRotateApiKeyMutation = { consoleRotateApiKey: { apiKey: string, curl: string, previousKeyValidUntil: string | null, client: { clientId: string, name: string } } };

export type ConsoleRevokeApiClientSessionsMutationVariables = Exact<{
  clientId: string | number;
}>;


export type ConsoleRevokeApiClientSessionsMutation = { consoleRevokeApiClientSessions: { clientId: string } };

export type ConsoleUpdateApiClientMutationVariables = Exact<{
  clientId: string | number;
  patch: ConsoleApiClientPatch;
}>;


export type ConsoleUpdateApiClientMutation = { consoleUpdateApiClient: { clientId: string, enabled: boolean } };

export type ConsoleLedgerQueryVariables = Exact<{
  first?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type ConsoleLedgerQuery = { consoleLedger: { nextBefore: string | null, entries: Array<{ id: string, at: string, kind: string, amount: number, balanceAfter: number, clientId: string | null, requestId: string | null, reason: string | null }> } };

export type ConsoleOverviewQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleOverviewQuery = { consoleOverview: { asOf: string, balance: number, spentToday: number, spentThisMonth: number, spendSeries: Array<{ day: string, amount: number, requests: number }>, rateLimits: Array<{ clientId: string, name: string, mode: ConsoleClientMode, minute: { limit: number, remaining: number | null, reset: string }, day: { limit: number, remaining: number | null, reset: string } }> } };

export type ConsoleTeamQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleTeamQuery = { consoleTeam: Array<{ userId: string, email: string, name: string | null, role: ConsoleRole, emailVerified: boolean, createdAt: string }>, consoleInvitations: Array<{ invitationId: string, email: string, role: ConsoleRole, invitedBy: string | null, expiresAt: string }> };

export type ConsoleInviteMutationVariables = Exact<{
  email: string;
  role: ConsoleRole;
}>;


export type ConsoleInviteMutation = { consoleInvite: { devLink: string | null, invitation: { invitationId: string, email: string } } };

export type ConsoleRevokeInvitationMutationVariables = Exact<{
  invitationId: string | number;
}>;


export type ConsoleRevokeInvitationMutation = { consoleRevokeInvitation: boolean };

export type ConsoleSetMemberRoleMutationVariables = Exact<{
  userId: string | number;
  role: ConsoleRole;
}>;


export type ConsoleSetMemberRoleMutation = { consoleSetMemberRole: { userId: string, role: ConsoleRole } };

export type ConsoleRemoveMemberMutationVariables = Exact<{
  userId: string | number;
}>;


export type ConsoleRemoveMemberMutation = { consoleRemoveMember: boolean };

export type ConsoleTopUpsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleTopUpsQuery = { creditPackages: Array<{ packageId: string, credits: number, price: string, currency: string, active: boolean }>, consoleTopUps: Array<{ topUpId: string, packageId: string, credits: number, price: string, currency: string, status: TopUpStatus, requestedAt: string, requestedBy: string | null, decidedAt: string | null, note: string | null }> };

export type ConsoleRequestTopUpMutationVariables = Exact<{
  packageId: string | number;
}>;


export type ConsoleRequestTopUpMutation = { consoleRequestTopUp: { topUpId: string, status: TopUpStatus } };

export type ConsoleCancelTopUpMutationVariables = Exact<{
  topUpId: string | number;
}>;


export type ConsoleCancelTopUpMutation = { consoleCancelTopUp: { topUpId: string, status: TopUpStatus } };

export type ConsoleUsageQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type ConsoleUsageQuery = { consoleUsage: { from: string, to: string, totalRequests: number, totalAmount: number, rows: Array<{ day: string, clientId: string | null, clientName: string | null, mode: ConsoleClientMode, action: string, scope: string | null, variant: string | null, requests: number, units: number, amount: number }> } };

export type ConsoleWebhooksQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleWebhooksQuery = { consoleApiClients: Array<{ clientId: string, name: string }>, consoleWebhooks: Array<{ id: string, clientId: string, url: string, events: Array<string>, enabled: boolean, disabledReason: string | null, failingSince: string | null, createdAt: string, deliveries: Array<{ deliveryId: string, event: string, kind: string, status: string, attempts: number, lastStatusCode: number | null, lastError: string | null, createdAt: string }> }> };

export type ConsoleCreateWebhookMutationVariables = Exact<{
  clientId: string | number;
  url: string;
  events: Array<string> | string;
}>;


export type ConsoleCreateWebhookMutation = { consoleCreateWebhook: { secret: string, webhook: { id: string, url: string } } };

export type ConsoleRotateWebhookSecretMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleRotateWebhookSecretMutation = { consoleRotateWebhookSecret: { secret: string, previousSecretValidUntil: string | null, webhook: { id: string, url: string } } };

export type ConsoleTestWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleTestWebhookMutation = { consoleTestWebhook: { deliveryId: string, status: string } };

export type ConsoleReplayWebhookMutationVariables = Exact<{
  id: string | number;
  since: string;
}>;


export type ConsoleReplayWebhookMutation = { consoleReplayWebhook: number };

export type ConsoleUpdateWebhookMutationVariables = Exact<{
  id: string | number;
  enabled?: boolean | null | undefined;
}>;


export type ConsoleUpdateWebhookMutation = { consoleUpdateWebhook: { id: string, enabled: boolean } };

export type ConsoleDeleteWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleDeleteWebhookMutation = { consoleDeleteWebhook: boolean };

export type ConsoleSessionQueryQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSessionQueryQuery = { consoleSession: { accountId: string, accountName: string, csrfToken: string, role: ConsoleRole, expiresAt: string, user: { userId: string, email: string, name: string | null, emailVerified: boolean } } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const OperatorAccountsDocument = new TypedDocumentString(`
    query OperatorAccounts($search: String, $first: Int) {
  operatorAccounts(search: $search, first: $first) {
    accountId
    name
    owners
    balance
    clients
    createdAt
  }
}
    `, {"hash":"sha256:32257f5500eb22a87907d92585b98bf92abde85c7b20d9d5e6290e1d217d3865"}) as unknown as TypedDocumentString<OperatorAccountsQuery, OperatorAccountsQueryVariables>;
export const OperatorGrantCreditsDocument = new TypedDocumentString(`
    mutation OperatorGrantCredits($accountId: ID!, $amount: Credits!, $reason: String!, $idempotencyKey: String!) {
  operatorGrantCredits(
    accountId: $accountId
    amount: $amount
    reason: $reason
    idempotencyKey: $idempotencyKey
  )
}
    `, {"hash":"sha256:4af8332bde9c40e5e0ef1966c420cd45437de1ee728a888ee90eb7406646ba6d"}) as unknown as TypedDocumentString<OperatorGrantCreditsMutation, OperatorGrantCreditsMutationVariables>;
export const OperatorWebhookHealthDocument = new TypedDocumentString(`
    query OperatorWebhookHealth {
  operatorWebhookHealth {
    queued
    retrying
    delivered
    failed
    retries
    oldestDueSeconds
  }
}
    `, {"hash":"sha256:00a2e5d5333e85aeb3c676f10c7d493fabcd9daaa9056f0949f242c7ece8660b"}) as unknown as TypedDocumentString<OperatorWebhookHealthQuery, OperatorWebhookHealthQueryVariables>;
export const OperatorSessionQueryDocument = new TypedDocumentString(`
    query OperatorSessionQuery {
  operatorSession {
    operatorId
    email
    csrfToken
  }
}
    `, {"hash":"sha256:d6e335ee07d18564a7b605e64f3406ef35c7475134c3dad22fe0bd9783701af5"}) as unknown as TypedDocumentString<OperatorSessionQueryQuery, OperatorSessionQueryQueryVariables>;
export const OperatorSignInDocument = new TypedDocumentString(`
    mutation OperatorSignIn($email: String!, $password: String!, $totp: String!) {
  operatorSignIn(email: $email, password: $password, totp: $totp) {
    operatorId
    email
    csrfToken
  }
}
    `, {"hash":"sha256:3245f1b9255b4f3b5a561ce473872c46bbd7672abaaa39ef299612f4409fc938"}) as unknown as TypedDocumentString<OperatorSignInMutation, OperatorSignInMutationVariables>;
export const OperatorSignOutDocument = new TypedDocumentString(`
    mutation OperatorSignOut {
  operatorSignOut
}
    `, {"hash":"sha256:8733fa9ac26f83afcac9f880920f46ff3140e9f7d9fc17e745bd5b65a37dff8c"}) as unknown as TypedDocumentString<OperatorSignOutMutation, OperatorSignOutMutationVariables>;
export const OperatorTraceImageDocument = new TypedDocumentString(`
    query OperatorTraceImage($url: String!) {
  operatorTraceImage(url: $url) {
    accountId
    clientId
    grantId
    barcode
    variant
    size
    format
    ip
    issuedAt
    expiresAt
    redeemed
    redeemedAt
    redeemedIp
  }
}
    `, {"hash":"sha256:363000223a57694618f5482b56af37fe7a1a43b66915bf92a4acb0cc1baf8018"}) as unknown as TypedDocumentString<OperatorTraceImageQuery, OperatorTraceImageQueryVariables>;
export const OperatorIdentifyImageDocument = new TypedDocumentString(`
    mutation OperatorIdentifyImage($imageBase64: String!) {
  operatorIdentifyImage(imageBase64: $imageBase64) {
    accountId
    clientId
    grantId
    barcode
    variant
    confidence
    imageSimilarity
  }
}
    `, {"hash":"sha256:a8625ac9397f68f0d4347dfb4d15a707b5ad664e6cab90401ab53e9c00a482a6"}) as unknown as TypedDocumentString<OperatorIdentifyImageMutation, OperatorIdentifyImageMutationVariables>;
export const OperatorPricingDocument = new TypedDocumentString(`
    query OperatorPricing {
  pricing {
    currency
    updatedAt
    actions {
      action
      credits
    }
  }
  operatorPackages {
    packageId
    credits
    price
    currency
    active
  }
}
    `, {"hash":"sha256:b735251158acfbc29f55cb02f53cfd3fa3dfb65977c993ba056c6d9493b96689"}) as unknown as TypedDocumentString<OperatorPricingQuery, OperatorPricingQueryVariables>;
export const OperatorSetPricesDocument = new TypedDocumentString(`
    mutation OperatorSetPrices($prices: [OperatorPriceInput!]!) {
  operatorSetPrices(prices: $prices)
}
    `, {"hash":"sha256:2e4d0b110ade37158fcd459707d26402fd8eb3965ebd573ab4d8d4762b0728eb"}) as unknown as TypedDocumentString<OperatorSetPricesMutation, OperatorSetPricesMutationVariables>;
export const OperatorSavePackageDocument = new TypedDocumentString(`
    mutation OperatorSavePackage($input: OperatorPackageInput!) {
  operatorSavePackage(input: $input) {
    packageId
  }
}
    `, {"hash":"sha256:30da4c62f8c8372f47355d4db145459fbe3cd7ca0d959c209fd16e3d73054d4d"}) as unknown as TypedDocumentString<OperatorSavePackageMutation, OperatorSavePackageMutationVariables>;
export const OperatorProductDocument = new TypedDocumentString(`
    query OperatorProduct($barcode: String!) {
  operatorProduct(barcode: $barcode) {
    barcode
    gtin14
    brand
    productName
    netWeight
    ownership
    productDescription
    category
    bracha
    kosherForPassover
    hechshers {
      symbol
      org
      dairyMeatPareve
      dairyEquipment
      passover
      qualifiers
    }
    ingredients
    allergens
    nutrition {
      servingSize
      servingsPerContainer
      calories
      totalFatG
      saturatedFatG
      transFatG
      cholesterolMg
      sodiumMg
      totalCarbohydrateG
      dietaryFiberG
      totalSugarsG
      addedSugarsG
      proteinG
      vitaminDMcg
      calciumMg
      ironMg
      potassiumMg
    }
    updatedAt
    images {
      variant
      format
      width
      height
      fileSizeBytes
      uploadedAt
    }
  }
}
    `, {"hash":"sha256:c904ace9fc97634b9ff6016efdbd2ef0a4df3eb7e3a49897f9605e63ca8a430d"}) as unknown as TypedDocumentString<OperatorProductQuery, OperatorProductQueryVariables>;
export const OperatorSaveProductDocument = new TypedDocumentString(`
    mutation OperatorSaveProduct($barcode: String!, $input: OperatorProductInput!) {
  operatorSaveProduct(barcode: $barcode, input: $input) {
    barcode
    outcome
  }
}
    `, {"hash":"sha256:d470b30ef0e9b84190266665bcb6dbd7af7bacef49a95d7b7b5a3af298cde805"}) as unknown as TypedDocumentString<OperatorSaveProductMutation, OperatorSaveProductMutationVariables>;
export const OperatorUploadImageDocument = new TypedDocumentString(`
    mutation OperatorUploadImage($barcode: String!, $variant: String!, $contentType: String!, $imageBase64: String!) {
  operatorUploadImage(
    barcode: $barcode
    variant: $variant
    contentType: $contentType
    imageBase64: $imageBase64
  ) {
    variant
    width
    height
    changed
  }
}
    `, {"hash":"sha256:3d5e73a15ee7291a4cc68e7261ec86a39508eaa16a6c0158216b7c1459e622c9"}) as unknown as TypedDocumentString<OperatorUploadImageMutation, OperatorUploadImageMutationVariables>;
export const OperatorTopUpsDocument = new TypedDocumentString(`
    query OperatorTopUps($status: TopUpStatus, $first: Int) {
  operatorTopUps(status: $status, first: $first) {
    topUpId
    accountId
    accountName
    packageId
    credits
    price
    currency
    status
    requestedAt
    requestedBy
    decidedAt
    decidedBy
  }
}
    `, {"hash":"sha256:e9d05eabeb6522c9d86d1ca8106a00e02516bcc7a8b2d18333a5ae2f89ea5c72"}) as unknown as TypedDocumentString<OperatorTopUpsQuery, OperatorTopUpsQueryVariables>;
export const OperatorConfirmTopUpDocument = new TypedDocumentString(`
    mutation OperatorConfirmTopUp($topUpId: ID!) {
  operatorConfirmTopUp(topUpId: $topUpId) {
    topUpId
    status
  }
}
    `, {"hash":"sha256:4d71d73b731080b7c781f7c7debb82d20f740417044bb00ada8373f0432799e3"}) as unknown as TypedDocumentString<OperatorConfirmTopUpMutation, OperatorConfirmTopUpMutationVariables>;
export const OperatorRejectTopUpDocument = new TypedDocumentString(`
    mutation OperatorRejectTopUp($topUpId: ID!, $note: String!) {
  operatorRejectTopUp(topUpId: $topUpId, note: $note) {
    topUpId
    status
  }
}
    `, {"hash":"sha256:8a180eac7a8ece2bba8c27d6e2f03ec8f6812cba18df90039d9399db3cb54d79"}) as unknown as TypedDocumentString<OperatorRejectTopUpMutation, OperatorRejectTopUpMutationVariables>;
export const ConsoleSignOutDocument = new TypedDocumentString(`
    mutation ConsoleSignOut {
  consoleSignOut
}
    `, {"hash":"sha256:7243cab2425099b780f0f34fa5aa4b57ca327a47f7e435d79c4e03c3d1af13db"}) as unknown as TypedDocumentString<ConsoleSignOutMutation, ConsoleSignOutMutationVariables>;
export const ConsoleResendVerificationDocument = new TypedDocumentString(`
    mutation ConsoleResendVerification {
  consoleResendVerification {
    devLink
  }
}
    `, {"hash":"sha256:27e611e9acce3828e4439568e9049ec05b92ac26c4fc83dcbabf1a880a37a2b1"}) as unknown as TypedDocumentString<ConsoleResendVerificationMutation, ConsoleResendVerificationMutationVariables>;
export const ConsoleAuditLogDocument = new TypedDocumentString(`
    query ConsoleAuditLog($first: Int, $before: String) {
  consoleAuditLog(first: $first, before: $before) {
    nextBefore
    entries {
      id
      at
      actorKind
      actor
      action
      target
      details
      ip
    }
  }
}
    `, {"hash":"sha256:3c609e22daec85e54005f4873c7f3175ffcb807604f4f8ef12ae1350006ea7c4"}) as unknown as TypedDocumentString<ConsoleAuditLogQuery, ConsoleAuditLogQueryVariables>;
export const ConsoleSignInDocument = new TypedDocumentString(`
    mutation ConsoleSignIn($email: String!, $password: String!) {
  consoleSignIn(email: $email, password: $password) {
    accountId
    accountName
    csrfToken
    role
    expiresAt
    user {
      userId
      email
      name
      emailVerified
    }
  }
}
    `, {"hash":"sha256:0a7d220c9935902b467744e21feeec1cd8efb856ed3b4d83fab2715847bd209e"}) as unknown as TypedDocumentString<ConsoleSignInMutation, ConsoleSignInMutationVariables>;
export const ConsoleSignUpDocument = new TypedDocumentString(`
    mutation ConsoleSignUp($email: String!, $password: String!, $accountName: String!, $name: String) {
  consoleSignUp(
    email: $email
    password: $password
    accountName: $accountName
    name: $name
  ) {
    devLink
  }
}
    `, {"hash":"sha256:6092ae6af0be93d2056f1b002502f3787c69943b0a6dbbf4913a8de078888b0a"}) as unknown as TypedDocumentString<ConsoleSignUpMutation, ConsoleSignUpMutationVariables>;
export const ConsoleVerifyEmailDocument = new TypedDocumentString(`
    mutation ConsoleVerifyEmail($token: String!) {
  consoleVerifyEmail(token: $token) {
    accountId
    accountName
    csrfToken
    role
    expiresAt
    user {
      userId
      email
      name
      emailVerified
    }
  }
}
    `, {"hash":"sha256:db514135e6422c7f6c76a0ce9bd5a1735e5ce1e3849ee11bf5e58e7a5c6af745"}) as unknown as TypedDocumentString<ConsoleVerifyEmailMutation, ConsoleVerifyEmailMutationVariables>;
export const ConsoleRequestPasswordResetDocument = new TypedDocumentString(`
    mutation ConsoleRequestPasswordReset($email: String!) {
  consoleRequestPasswordReset(email: $email) {
    devLink
  }
}
    `, {"hash":"sha256:5359358cac2d6f21557718970f63afbe225ab3cc1fc4c63f168a30ecc19cce5c"}) as unknown as TypedDocumentString<ConsoleRequestPasswordResetMutation, ConsoleRequestPasswordResetMutationVariables>;
export const ConsoleResetPasswordDocument = new TypedDocumentString(`
    mutation ConsoleResetPassword($token: String!, $password: String!) {
  consoleResetPassword(token: $token, password: $password)
}
    `, {"hash":"sha256:8278253444c9817f4a27554b3afd72a41277930762dfa364df1e89061202419b"}) as unknown as TypedDocumentString<ConsoleResetPasswordMutation, ConsoleResetPasswordMutationVariables>;
export const ConsoleAcceptInvitationDocument = new TypedDocumentString(`
    mutation ConsoleAcceptInvitation($token: String!, $password: String!, $name: String) {
  consoleAcceptInvitation(token: $token, password: $password, name: $name) {
    accountId
    accountName
    csrfToken
    role
    expiresAt
    user {
      userId
      email
      name
      emailVerified
    }
  }
}
    `, {"hash":"sha256:38eee1316647bbaa031155b1ef7e69f4df2cdbdc4f6638b2771e4186c99a3f31"}) as unknown as TypedDocumentString<ConsoleAcceptInvitationMutation, ConsoleAcceptInvitationMutationVariables>;
export const ConsoleApiClientsDocument = new TypedDocumentString(`
    query ConsoleApiClients {
  consoleApiClients {
    clientId
    name
    mode
    tier
    enabled
    ipAllowlist
    scopeBrands
    expiresAt
    createdAt
    lastUsedAt
    keyHint
  }
}
    `, {"hash":"sha256:3b8dd38addaa14caa054e2287080b556ef9f3d820332b5bff8ead490d2bcee57"}) as unknown as TypedDocumentString<ConsoleApiClientsQuery, ConsoleApiClientsQueryVariables>;
export const ConsoleCreateApiClientDocument = new TypedDocumentString(`
    mutation ConsoleCreateApiClient($input: ConsoleApiClientInput!) {
  consoleCreateApiClient(input: $input) {
    apiKey
    curl
    client {
      clientId
      name
    }
  }
}
    `, {"hash":"sha256:023fb060fc75be39c9e29efd43c6e0790d720e4b4c4a31702739059babbcc232"}) as unknown as TypedDocumentString<ConsoleCreateApiClientMutation, ConsoleCreateApiClientMutationVariables>;
export const ConsoleRotateApiKeyDocument = new TypedDocumentString(`
    mutation ConsoleRotateApiKey($clientId: ID!, $retirePreviousNow: Boolean) {
  consoleRotateApiKey(clientId: $clientId, retirePreviousNow: $retirePreviousNow) {
    apiKey
    curl
    previousKeyValidUntil
    client {
      clientId
      name
    }
  }
}
    `, {"hash":"sha256:fbcd44f4f5136e819c4fe6d3a7f78bc60af603e32979915d361f6ccf69032132"}) as unknown as TypedDocumentString<ConsoleRotateApiKeyMutation, ConsoleRotateApiKeyMutationVariables>;
export const ConsoleRevokeApiClientSessionsDocument = new TypedDocumentString(`
    mutation ConsoleRevokeApiClientSessions($clientId: ID!) {
  consoleRevokeApiClientSessions(clientId: $clientId) {
    clientId
  }
}
    `, {"hash":"sha256:eb40b60ab34232f41e2909773ed23361061840dcd09f65760acca9ae87921616"}) as unknown as TypedDocumentString<ConsoleRevokeApiClientSessionsMutation, ConsoleRevokeApiClientSessionsMutationVariables>;
export const ConsoleUpdateApiClientDocument = new TypedDocumentString(`
    mutation ConsoleUpdateApiClient($clientId: ID!, $patch: ConsoleApiClientPatch!) {
  consoleUpdateApiClient(clientId: $clientId, patch: $patch) {
    clientId
    enabled
  }
}
    `, {"hash":"sha256:e496e833cf8ba8a7ba0939e036e349d2228e14c0606413cb9258652170d9f780"}) as unknown as TypedDocumentString<ConsoleUpdateApiClientMutation, ConsoleUpdateApiClientMutationVariables>;
export const ConsoleLedgerDocument = new TypedDocumentString(`
    query ConsoleLedger($first: Int, $before: String) {
  consoleLedger(first: $first, before: $before) {
    nextBefore
    entries {
      id
      at
      kind
      amount
      balanceAfter
      clientId
      requestId
      reason
    }
  }
}
    `, {"hash":"sha256:5229e42390d0cd35bed9973a1465218b649603506360033c8c5a5c2a520f59aa"}) as unknown as TypedDocumentString<ConsoleLedgerQuery, ConsoleLedgerQueryVariables>;
export const ConsoleOverviewDocument = new TypedDocumentString(`
    query ConsoleOverview {
  consoleOverview {
    asOf
    balance
    spentToday
    spentThisMonth
    spendSeries {
      day
      amount
      requests
    }
    rateLimits {
      clientId
      name
      mode
      minute {
        limit
        remaining
        reset
      }
      day {
        limit
        remaining
        reset
      }
    }
  }
}
    `, {"hash":"sha256:8f29f3ab8a43878c134c0bab6b2211da25cc04acfa5504fdf0e3f5ef8f94c50f"}) as unknown as TypedDocumentString<ConsoleOverviewQuery, ConsoleOverviewQueryVariables>;
export const ConsoleTeamDocument = new TypedDocumentString(`
    query ConsoleTeam {
  consoleTeam {
    userId
    email
    name
    role
    emailVerified
    createdAt
  }
  consoleInvitations {
    invitationId
    email
    role
    invitedBy
    expiresAt
  }
}
    `, {"hash":"sha256:b9fa7445f733309ebb449918bc0a76594cea33701aa6cf7b340cb2ba9c4f112a"}) as unknown as TypedDocumentString<ConsoleTeamQuery, ConsoleTeamQueryVariables>;
export const ConsoleInviteDocument = new TypedDocumentString(`
    mutation ConsoleInvite($email: String!, $role: ConsoleRole!) {
  consoleInvite(email: $email, role: $role) {
    devLink
    invitation {
      invitationId
      email
    }
  }
}
    `, {"hash":"sha256:4b9e4f5ccd64a83f462a7d4e6ddbea5b7bd62b2c1692af78b0867fa6fd14473f"}) as unknown as TypedDocumentString<ConsoleInviteMutation, ConsoleInviteMutationVariables>;
export const ConsoleRevokeInvitationDocument = new TypedDocumentString(`
    mutation ConsoleRevokeInvitation($invitationId: ID!) {
  consoleRevokeInvitation(invitationId: $invitationId)
}
    `, {"hash":"sha256:4ef60f50f996dd272e55472c6338e2feec4420c0d435336c981543bc58218a1b"}) as unknown as TypedDocumentString<ConsoleRevokeInvitationMutation, ConsoleRevokeInvitationMutationVariables>;
export const ConsoleSetMemberRoleDocument = new TypedDocumentString(`
    mutation ConsoleSetMemberRole($userId: ID!, $role: ConsoleRole!) {
  consoleSetMemberRole(userId: $userId, role: $role) {
    userId
    role
  }
}
    `, {"hash":"sha256:c7c31cca768aa3202a471bca448947f96bd13a03c59c444b6e9c9adec2ff647d"}) as unknown as TypedDocumentString<ConsoleSetMemberRoleMutation, ConsoleSetMemberRoleMutationVariables>;
export const ConsoleRemoveMemberDocument = new TypedDocumentString(`
    mutation ConsoleRemoveMember($userId: ID!) {
  consoleRemoveMember(userId: $userId)
}
    `, {"hash":"sha256:9d18925bb416a03968c6afa429be76b8a05f283acb48158d54a8bc4dda64a1bb"}) as unknown as TypedDocumentString<ConsoleRemoveMemberMutation, ConsoleRemoveMemberMutationVariables>;
export const ConsoleTopUpsDocument = new TypedDocumentString(`
    query ConsoleTopUps {
  creditPackages {
    packageId
    credits
    price
    currency
    active
  }
  consoleTopUps {
    topUpId
    packageId
    credits
    price
    currency
    status
    requestedAt
    requestedBy
    decidedAt
    note
  }
}
    `, {"hash":"sha256:17417747a9aac9b2456bf6973acb3e4587b638b95286ea434740c65aaad0bd37"}) as unknown as TypedDocumentString<ConsoleTopUpsQuery, ConsoleTopUpsQueryVariables>;
export const ConsoleRequestTopUpDocument = new TypedDocumentString(`
    mutation ConsoleRequestTopUp($packageId: ID!) {
  consoleRequestTopUp(packageId: $packageId) {
    topUpId
    status
  }
}
    `, {"hash":"sha256:682b5e1b5a995d216dfbbd9fca19add267de0d0f432c91fd0faea9560aa2bacb"}) as unknown as TypedDocumentString<ConsoleRequestTopUpMutation, ConsoleRequestTopUpMutationVariables>;
export const ConsoleCancelTopUpDocument = new TypedDocumentString(`
    mutation ConsoleCancelTopUp($topUpId: ID!) {
  consoleCancelTopUp(topUpId: $topUpId) {
    topUpId
    status
  }
}
    `, {"hash":"sha256:f8c1cc8f8a99d0aeae307086c837daab68dfebb38937bd77235526f43b2da9db"}) as unknown as TypedDocumentString<ConsoleCancelTopUpMutation, ConsoleCancelTopUpMutationVariables>;
export const ConsoleUsageDocument = new TypedDocumentString(`
    query ConsoleUsage($from: Date, $to: Date) {
  consoleUsage(from: $from, to: $to) {
    from
    to
    totalRequests
    totalAmount
    rows {
      day
      clientId
      clientName
      mode
      action
      scope
      variant
      requests
      units
      amount
    }
  }
}
    `, {"hash":"sha256:361f154094dfd1b368acc05d85ed19a8db29f71126756876b7feb0232665b356"}) as unknown as TypedDocumentString<ConsoleUsageQuery, ConsoleUsageQueryVariables>;
export const ConsoleWebhooksDocument = new TypedDocumentString(`
    query ConsoleWebhooks {
  consoleApiClients {
    clientId
    name
  }
  consoleWebhooks {
    id
    clientId
    url
    events
    enabled
    disabledReason
    failingSince
    createdAt
    deliveries(limit: 10) {
      deliveryId
      event
      kind
      status
      attempts
      lastStatusCode
      lastError
      createdAt
    }
  }
}
    `, {"hash":"sha256:19f4331ecad41ed6779f7af3d0f6eb46e5304831b5489324643f6ca785663d44"}) as unknown as TypedDocumentString<ConsoleWebhooksQuery, ConsoleWebhooksQueryVariables>;
export const ConsoleCreateWebhookDocument = new TypedDocumentString(`
    mutation ConsoleCreateWebhook($clientId: ID!, $url: String!, $events: [String!]!) {
  consoleCreateWebhook(clientId: $clientId, url: $url, events: $events) {
    secret
    webhook {
      id
      url
    }
  }
}
    `, {"hash":"sha256:7c68fb9faad5a822d1074fd7bd09181ec4f32919956014dc96890beca4c2d88b"}) as unknown as TypedDocumentString<ConsoleCreateWebhookMutation, ConsoleCreateWebhookMutationVariables>;
export const ConsoleRotateWebhookSecretDocument = new TypedDocumentString(`
    mutation ConsoleRotateWebhookSecret($id: ID!) {
  consoleRotateWebhookSecret(id: $id) {
    secret
    previousSecretValidUntil
    webhook {
      id
      url
    }
  }
}
    `, {"hash":"sha256:2828a57c26460da1d3084df916d06ec24d370f903388972d1e636db89761a5ed"}) as unknown as TypedDocumentString<ConsoleRotateWebhookSecretMutation, ConsoleRotateWebhookSecretMutationVariables>;
export const ConsoleTestWebhookDocument = new TypedDocumentString(`
    mutation ConsoleTestWebhook($id: ID!) {
  consoleTestWebhook(id: $id) {
    deliveryId
    status
  }
}
    `, {"hash":"sha256:023cf6feea1f466e8c4de470f02d28b0df7beeb5ce8aa610cba6c71463fca0fd"}) as unknown as TypedDocumentString<ConsoleTestWebhookMutation, ConsoleTestWebhookMutationVariables>;
export const ConsoleReplayWebhookDocument = new TypedDocumentString(`
    mutation ConsoleReplayWebhook($id: ID!, $since: DateTime!) {
  consoleReplayWebhook(id: $id, since: $since)
}
    `, {"hash":"sha256:a9c1d93e29465b2ed3de48e815452ef3f1604654c0304978c9f535a3246d384b"}) as unknown as TypedDocumentString<ConsoleReplayWebhookMutation, ConsoleReplayWebhookMutationVariables>;
export const ConsoleUpdateWebhookDocument = new TypedDocumentString(`
    mutation ConsoleUpdateWebhook($id: ID!, $enabled: Boolean) {
  consoleUpdateWebhook(id: $id, enabled: $enabled) {
    id
    enabled
  }
}
    `, {"hash":"sha256:f707f7aef7986364b0e221ecbe939bf55627e079dd727966e4b3b4486f0f4cde"}) as unknown as TypedDocumentString<ConsoleUpdateWebhookMutation, ConsoleUpdateWebhookMutationVariables>;
export const ConsoleDeleteWebhookDocument = new TypedDocumentString(`
    mutation ConsoleDeleteWebhook($id: ID!) {
  consoleDeleteWebhook(id: $id)
}
    `, {"hash":"sha256:f4099f65a210cb3e86a7222c572e74df09c1767c592f157b965c15dca99445a2"}) as unknown as TypedDocumentString<ConsoleDeleteWebhookMutation, ConsoleDeleteWebhookMutationVariables>;
export const ConsoleSessionQueryDocument = new TypedDocumentString(`
    query ConsoleSessionQuery {
  consoleSession {
    accountId
    accountName
    csrfToken
    role
    expiresAt
    user {
      userId
      email
      name
      emailVerified
    }
  }
}
    `, {"hash":"sha256:d51cee71d21b4eb6664730572d6b49d957225b70c24e8efee7596301a6e32239"}) as unknown as TypedDocumentString<ConsoleSessionQueryQuery, ConsoleSessionQueryQueryVariables>;