// The cost formula (docs/billing.md#the-cost-formula): prices exactly what a plan will return. Pure; no I/O.

import type { Units } from '../../kernel/credits.ts';
import type { LedgerLine } from './ledger.repository.ts';
import type { Action, Pricing } from './pricing.service.ts';

export interface Charge {
  lines: LedgerLine[];
  total: Units;
}

export class ChargeBuilder {
  readonly lines: LedgerLine[] = [];
  total: Units = 0n;
  /** bulk-check is priced per barcode but recorded as one line (units = barcodes): a 500-barcode check would
   * otherwise write 500 line objects (~50 KB of jsonb) into its ledger row, which cost more than the check. */
  private bulkLine: LedgerLine | null = null;

  constructor(private readonly pricing: Pricing) {}

  add(action: Action, detail: Omit<LedgerLine, 'action' | 'units' | 'rate' | 'amount'>): void {
    const rate = this.pricing.rates[action];
    this.total += rate;
    if (action === 'products.bulk_check') {
      if (!this.bulkLine) {
        this.bulkLine = { action, barcodes: [], units: 0, rate: Number(rate), amount: 0 };
        this.lines.push(this.bulkLine);
      }
      this.bulkLine.barcodes!.push(detail.barcode!);
      this.bulkLine.units += 1;
      this.bulkLine.amount += Number(rate);
      return;
    }
    this.lines.push({ action, ...detail, units: 1, rate: Number(rate), amount: Number(rate) });
  }

  build(): Charge {
    return { lines: this.lines, total: this.total };
  }
}
