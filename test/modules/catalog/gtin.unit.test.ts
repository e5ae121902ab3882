import { describe, expect, it } from 'vitest';
import { checkDigit, displayForm, parseBarcode, toGtin14, withCheckDigit } from '../../../src/modules/catalog/gtin.ts';

describe('GTIN rules', () => {
  it('computes GS1 check digits for every length', () => {
    expect(checkDigit('01700016156')).toBe(3); // UPC-A 017000161563
    expect(checkDigit('400638133393')).toBe(1); // EAN-13 4006381333931
    expect(checkDigit('9638507')).toBe(4); // EAN-8 96385074
    expect(checkDigit('1001234560000')).toBe(2); // GTIN-14 10012345600002
  });

  it('accepts 8, 12, 13 and 14 digit codes and normalises them to GTIN-14', () => {
    expect(parseBarcode('017000161563')).toEqual({ ok: true, gtin14: '00017000161563' });
    expect(parseBarcode('0017000161563')).toEqual({ ok: true, gtin14: '00017000161563' });
    expect(parseBarcode('00017000161563')).toEqual({ ok: true, gtin14: '00017000161563' });
    expect(parseBarcode('96385074')).toEqual({ ok: true, gtin14: '00000096385074' });
    expect(parseBarcode('4006381333931')).toEqual({ ok: true, gtin14: '04006381333931' });
  });

  it('rejects wrong lengths and non-digits as format errors', () => {
    for (const bad of [
      '',
      '1234567',
      '123456789012345',
      '01700016156a',
      ' 017000161563',
      '０17000161563',
      '-17000161563',
      '1.7e10',
    ]) {
      expect(parseBarcode(bad)).toEqual({ ok: false, reason: 'format' });
    }
  });

  it('rejects a wrong check digit', () => {
    expect(parseBarcode('017000161564')).toEqual({ ok: false, reason: 'check_digit' });
    expect(parseBarcode('96385075')).toEqual({ ok: false, reason: 'check_digit' });
    expect(toGtin14('4006381333930')).toBeNull();
  });

  it('accepts 9-11 digit inputs only when their zero-padded check digit holds', () => {
    // 9–11 digit strings are not standard forms but are legal under "8–14 digits"; the check decides.
    const body = '0000000001';
    const code = withCheckDigit(body);
    expect(parseBarcode(code).ok).toBe(true);
  });

  it('round-trips withCheckDigit and picks the shortest display form', () => {
    const upc = withCheckDigit('01700016156');
    expect(upc).toBe('017000161563');
    expect(displayForm('00017000161563')).toBe('017000161563');
    expect(displayForm('00000096385074')).toBe('96385074');
    expect(displayForm('04006381333931')).toBe('4006381333931');
    expect(displayForm('10012345600002')).toBe('10012345600002');
  });
});
