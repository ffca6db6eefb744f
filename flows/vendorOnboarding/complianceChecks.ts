import { extractIBAN, getCountrySpecifications, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import { stdnum } from 'stdnum';
import kinds from './taxIdKinds.json';

/** What the compliance checks look at: the vendor's golden record. */
export interface OnboardingVendor {
  readonly name: string;
  /** How messages name its source row: `procurement public.supplier S1-SUP-0004`. */
  readonly sourceLabel: string;
  readonly country: string | null;
  readonly taxId: string | null;
  readonly iban: string | null;
  /** Open POSSIBLE_DUPLICATE_VENDOR warnings of the vendor (a person has not settled them yet). */
  readonly possibleDuplicates: readonly string[];
}

/** One failed check: which one, the field, and a sentence a finance user acts on. */
export interface CheckFailure {
  /** `COUNTRY`, `TAX_ID`, `IBAN`, `NOT_DUPLICATE`. */
  readonly check: CheckId;
  /** The exception's code. */
  readonly code: string;
  readonly field: string;
  readonly message: string;
}

export type CheckId = 'COUNTRY' | 'TAX_ID' | 'IBAN' | 'NOT_DUPLICATE';

interface TaxIdKind {
  readonly stdnum: string;
  readonly erpType: string;
  readonly label: string;
}

const TAX_ID_KINDS: Readonly<Record<string, TaxIdKind>> = kinds.countries;

/** The tax identifier kind of a country, or null when finsync has none for it. */
export function taxIdKind(country: string): TaxIdKind | null {
  return TAX_ID_KINDS[country] ?? null;
}

type Validator = { validate(value: string): { isValid: boolean; error?: { message: string } } };

function validatorOf(country: string, kind: TaxIdKind): Validator | null {
  const byCountry = (stdnum as unknown as Record<string, Record<string, Validator> | undefined>)[country];
  return byCountry?.[kind.stdnum] ?? null;
}

/** The supplier's country is known and one finsync knows the tax identifier of. */
function checkCountry(v: OnboardingVendor): CheckFailure | null {
  if (!v.country) {
    return {
      check: 'COUNTRY',
      code: 'VENDOR_COUNTRY_MISSING',
      field: 'country',
      message: `Vendor ${v.name} (${v.sourceLabel}) has no country, so its tax id and IBAN cannot be checked; enter the supplier's country in the source system`,
    };
  }
  if (!taxIdKind(v.country)) {
    return {
      check: 'COUNTRY',
      code: 'VENDOR_COUNTRY_UNSUPPORTED',
      field: 'country',
      message: `Vendor ${v.name} (${v.sourceLabel}) is in ${v.country}, a country whose tax identifier finsync does not check (flows/vendorOnboarding/taxIdKinds.json); onboard it by hand or add the country`,
    };
  }
  return null;
}

/** The tax id is valid for the supplier's country (format and check digits, python-stdnum's rules). */
function checkTaxId(v: OnboardingVendor): CheckFailure | null {
  if (!v.country) return null;
  const kind = taxIdKind(v.country);
  if (!kind) return null;
  const fail = (why: string): CheckFailure => ({
    check: 'TAX_ID',
    code: 'INVALID_TAX_ID',
    field: 'taxId',
    message: `Vendor ${v.name} (${v.sourceLabel}) cannot be activated: its tax id ${v.taxId ?? '(none)'} is not a valid ${kind.label} for ${v.country}: ${why}; correct the supplier's tax id in the source system`,
  });
  if (!v.taxId) return fail('it has no tax id');
  const validator = validatorOf(v.country, kind);
  if (!validator) throw new Error(`taxIdKinds.json names stdnum ${v.country}.${kind.stdnum}, which does not exist`);
  const result = validator.validate(v.taxId);
  return result.isValid ? null : fail(lowerFirst(result.error?.message ?? 'it is not valid'));
}

/**
 * The IBAN is valid (ISO 13616 check digits, the length and BBAN format of its country) and of the supplier's
 * country. A supplier of a country without IBANs (US) needs none, but one it gives must be valid.
 */
function checkIban(v: OnboardingVendor): CheckFailure | null {
  if (!v.country) return null;
  const usesIban = getCountrySpecifications()[v.country]?.chars != null;
  const fail = (why: string): CheckFailure => ({
    check: 'IBAN',
    code: 'INVALID_IBAN',
    field: 'iban',
    message: `Vendor ${v.name} (${v.sourceLabel}) cannot be activated: its IBAN ${v.iban ?? '(none)'} is not valid for ${v.country}: ${why}; correct the supplier's bank account in the source system`,
  });
  if (!v.iban) return usesIban ? fail(`a supplier in ${v.country} needs an IBAN`) : null;
  const { valid, errorCodes } = validateIBAN(v.iban);
  if (!valid) return fail(errorCodes.map(ibanProblem).join(', '));
  const ibanCountry = extractIBAN(v.iban).countryCode;
  if (usesIban && ibanCountry !== v.country) return fail(`it is an IBAN of ${ibanCountry}`);
  return null;
}

/** No open question whether the vendor is another vendor under a similar name. */
function checkNotDuplicate(v: OnboardingVendor): CheckFailure | null {
  if (!v.possibleDuplicates.length) return null;
  return {
    check: 'NOT_DUPLICATE',
    code: 'POSSIBLE_DUPLICATE_VENDOR',
    field: 'name',
    message: `Vendor ${v.name} (${v.sourceLabel}) may be the same company as ${v.possibleDuplicates.join(', ')}; a data steward settles the open possible-duplicate warning first`,
  };
}

/** One compliance check: its failure, or null. */
export type ComplianceCheck = (v: OnboardingVendor) => CheckFailure | null;

/** Each check by its id (the flow engine's step adapter runs them one by one: steps.ts). */
export const COMPLIANCE_CHECKS: Readonly<Record<CheckId, ComplianceCheck>> = Object.freeze({
  COUNTRY: checkCountry,
  TAX_ID: checkTaxId,
  IBAN: checkIban,
  NOT_DUPLICATE: checkNotDuplicate,
});

/** The checks in the order they are reported; every check runs, and all failures are reported together. */
const CHECKS: readonly ComplianceCheck[] = Object.freeze([checkCountry, checkTaxId, checkIban, checkNotDuplicate]);

/** Runs the compliance checks of vendor onboarding; an empty list means the vendor passes. */
export function runComplianceChecks(v: OnboardingVendor): CheckFailure[] {
  return CHECKS.map((check) => check(v)).filter((f): f is CheckFailure => f !== null);
}

function ibanProblem(code: ValidationErrorsIBAN): string {
  switch (code) {
    case ValidationErrorsIBAN.NoIBANProvided:
      return 'it is empty';
    case ValidationErrorsIBAN.NoIBANCountry:
      return 'it starts with no known IBAN country';
    case ValidationErrorsIBAN.WrongBBANLength:
      return 'it has the wrong length for its country';
    case ValidationErrorsIBAN.WrongBBANFormat:
      return 'its account part has the wrong format for its country';
    case ValidationErrorsIBAN.ChecksumNotNumber:
      return 'its check digits are not numbers';
    case ValidationErrorsIBAN.WrongIBANChecksum:
      return 'its check digits are wrong (a typing error in the account number?)';
    case ValidationErrorsIBAN.WrongAccountBankBranchChecksum:
      return 'the national check digit of its account number is wrong';
    case ValidationErrorsIBAN.QRIBANNotAllowed:
      return 'it is a QR-IBAN, which cannot receive transfers';
    default:
      return 'it is not a valid IBAN';
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1).replace(/\.$/, '');
}
