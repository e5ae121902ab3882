// The cost formula (CONTRACT §3, §9): prices exactly what a plan will return. Pure; no I/O.
import type { LedgerLine } from './ledger.repository.ts';
import type { Action, Pricing } from './pricing.service.ts';
import type { Units } from './credits.ts';

export interface Charge {
  lines: LedgerLine[];
  total: Units;
}

export class ChargeBuilder {
  readonly lines: LedgerLine[] = [];
  total: Units = 0n;

  constructor(private readonly pricing: Pricing) {}

  add(action: Action, detail: Omit<LedgerLine, 'action' | 'units' | 'rate' | 'amount'>): void {
    const rate = this.pricing.rates[action];
    this.lines.push({ action, ...detail, units: 1, rate: Number(rate), amount: Number(rate) });
    this.total += rate;
  }

  build(): Charge {
    return { lines: this.lines, total: this.total };
  }
}
