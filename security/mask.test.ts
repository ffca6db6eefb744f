import { mask, maskText, sensitiveValuesIn } from './mask';

describe('masking', () => {
  it('keeps the last 4 characters of a tax id or IBAN', () => {
    expect(mask('DE670000001')).toBe('•••••••0001');
    expect(mask(null)).toBeNull();
  });

  it('finds the sensitive values of a source event, at any depth', () => {
    const event = { op: 'c', after: { name: 'Acme', tax_id: 'DE670000001', iban: 'DE86500105176700000010' }, n: 3 };
    expect([...sensitiveValuesIn({ source_event: event, message: 'x' })].sort()).toEqual([
      'DE670000001',
      'DE86500105176700000010',
    ]);
  });

  it('masks known values and anything shaped like an IBAN in a text, and leaves the rest as it was', () => {
    const message =
      'Supplier S1-SUP-0004 looks like vendor Acme GmbH, already known with the same tax id DE670000001; paid to GB29NWBK60161331926819.';
    expect(maskText(message, ['DE670000001'])).toBe(
      'Supplier S1-SUP-0004 looks like vendor Acme GmbH, already known with the same tax id •••••••0001; paid to ••••••••••••••••••6819.',
    );
    expect(maskText('invoice S12-INV-000123 of 2026-03-01', [])).toBe('invoice S12-INV-000123 of 2026-03-01');
    expect(maskText(null, [])).toBeNull();
  });
});
