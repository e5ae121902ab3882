// bulk-check rows, shared by REST and GraphQL: invalid barcodes stay in their row (not billed, not fatal),
// valid ones are checked once each however often they repeat.

import type { Variant } from '../catalog/index.ts';
import { parseBarcode } from '../catalog/index.ts';
import type { PlanResult } from './read-plan.service.ts';
import type { PlanBuilder } from './read-plan.ts';

export const MAX_BARCODES = 500;

export interface BulkRow {
  barcode: string;
  exists: boolean;
  variants: Variant[];
  error?: 'invalid_barcode' | 'out_of_scope';
}

/** Adds every valid barcode to the plan; returns the GTIN-14 per input (null when invalid). */
export function planBulkCheck(plan: PlanBuilder, barcodes: readonly string[]): (string | null)[] {
  return barcodes.map((b) => {
    const r = parseBarcode(b);
    if (!r.ok) return null;
    plan.bulkCheck(r.gtin14);
    return r.gtin14;
  });
}

export function bulkRows(
  barcodes: readonly string[],
  gtins: readonly (string | null)[],
  result: PlanResult,
): BulkRow[] {
  return barcodes.map((barcode, i) => {
    const g = gtins[i];
    if (!g) return { barcode, exists: false, variants: [], error: 'invalid_barcode' };
    const o = result.bulk.get(g)!;
    if (o.status === 'out_of_scope') return { barcode, exists: false, variants: [], error: 'out_of_scope' };
    return { barcode, exists: o.exists, variants: o.variants };
  });
}
