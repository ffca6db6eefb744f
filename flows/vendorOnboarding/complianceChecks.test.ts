import { runComplianceChecks, type OnboardingVendor } from './complianceChecks';

const vendor = (over: Partial<OnboardingVendor> = {}): OnboardingVendor => ({
  name: 'Hoffmann Datentechnik GmbH',
  sourceLabel: 'procurement public.supplier SUP-1',
  country: 'DE',
  taxId: 'DE136695976',
  iban: 'DE89370400440532013000',
  possibleDuplicates: [],
  ...over,
});

describe('vendor onboarding compliance checks', () => {
  it('passes a German supplier with a valid VAT number and a German IBAN, and a US one with an EIN', () => {
    expect(runComplianceChecks(vendor())).toEqual([]);
    expect(runComplianceChecks(vendor({ country: 'US', taxId: '04-2103594', iban: null }))).toEqual([]);
    expect(
      runComplianceChecks(vendor({ country: 'GB', taxId: 'GB980780684', iban: 'GB29NWBK60161331926819' })),
    ).toEqual([]);
  });

  it('names the check, the field and the supplier when the IBAN check digits are wrong', () => {
    const [failure, ...rest] = runComplianceChecks(vendor({ iban: 'DE89370400440532013001' }));
    expect(rest).toEqual([]);
    expect(failure).toMatchObject({ check: 'IBAN', code: 'INVALID_IBAN', field: 'iban' });
    expect(failure!.message).toBe(
      "Vendor Hoffmann Datentechnik GmbH (procurement public.supplier SUP-1) cannot be activated: its IBAN DE89370400440532013001 is not valid for DE: its check digits are wrong (a typing error in the account number?); correct the supplier's bank account in the source system",
    );
  });

  it('refuses an IBAN of another country, and a missing IBAN where the country uses IBANs', () => {
    expect(runComplianceChecks(vendor({ iban: 'GB29NWBK60161331926819' }))[0]!.message).toMatch(
      /is not valid for DE: it is an IBAN of GB/,
    );
    expect(runComplianceChecks(vendor({ iban: null }))[0]!.message).toMatch(/a supplier in DE needs an IBAN/);
  });

  it('refuses a tax id whose check digit is wrong, with stdnum-js words', () => {
    const failures = runComplianceChecks(vendor({ taxId: 'DE136695977' }));
    expect(failures.map((f) => [f.check, f.field])).toEqual([['TAX_ID', 'taxId']]);
    expect(failures[0]!.message).toMatch(/tax id DE136695977 is not a valid German VAT number \(USt-IdNr\.\) for DE: /);
  });

  it('reports every failure together, and an unknown or missing country', () => {
    expect(runComplianceChecks(vendor({ taxId: 'DE1', iban: 'XX00' })).map((f) => f.code)).toEqual([
      'INVALID_TAX_ID',
      'INVALID_IBAN',
    ]);
    expect(runComplianceChecks(vendor({ country: null })).map((f) => f.code)).toEqual(['VENDOR_COUNTRY_MISSING']);
    expect(runComplianceChecks(vendor({ country: 'ZZ' })).map((f) => f.code)).toEqual(['VENDOR_COUNTRY_UNSUPPORTED']);
  });

  it('holds a vendor with an open possible-duplicate warning', () => {
    expect(runComplianceChecks(vendor({ possibleDuplicates: ['Hoffmann Datentechnik AG'] }))).toMatchObject([
      { check: 'NOT_DUPLICATE', field: 'name' },
    ]);
  });
});
