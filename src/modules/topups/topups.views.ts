// What the top-up fields return (docs/console.md#top-ups). Credits are bigint units of 1/10,000 credit; a
// price is a decimal string in its currency (we never compute with it).

export interface PackageView {
  packageId: string;
  credits: bigint;
  price: string;
  currency: string;
  active: boolean;
}

export type TopUpStatus = 'pending' | 'confirmed' | 'rejected' | 'cancelled';

export interface TopUpView {
  topUpId: string;
  accountId: string;
  accountName: string;
  packageId: string;
  credits: bigint;
  price: string;
  currency: string;
  status: TopUpStatus;
  requestedBy: string | null;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  note: string | null;
}
