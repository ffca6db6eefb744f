/**
 * Company names, tax ids and bank accounts for the generated counterparties. Clean vendors must not look like
 * duplicates of each other: finsync flags two vendors whose normalized names have a trigram similarity of 0.8 or
 * more (pg_trgm), so the generator keeps every pair of names in a run below NAME_SIMILARITY_LIMIT, and each name
 * carries a brand word derived from the run's prefix, so that names of different runs stay apart too. Tax ids and
 * IBANs are valid (check digits from stdnum-js and ibantools) for the supplier's country.
 */
import { createHash } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import { composeIBAN, isValidIBAN } from 'ibantools';
import { stdnum } from 'stdnum';
import { normalizeName } from '../../cdc/apply/normalizeName';
import { trigramSimilarity } from '../../cdc/apply/trigramSimilarity';

export const NAME_SIMILARITY_LIMIT = 0.5;

export type Locale = 'de' | 'en_GB' | 'en_US';

const TRADES: Record<Locale, readonly string[]> = {
  de: [
    'Datentechnik',
    'Logistik',
    'Bürobedarf',
    'Softwarehaus',
    'Unternehmensberatung',
    'Reisedienst',
    'Systemhaus',
    'Netzwerktechnik',
    'Druckerei',
    'Elektronik',
    'Gebäudeservice',
    'Personalservice',
    'Cloud Services',
    'Medienagentur',
    'Messebau',
    'Rechenzentrum',
    'IT-Service',
    'Verpackungen',
    'Catering',
    'Sicherheitstechnik',
  ],
  en_GB: [
    'Consulting',
    'Travel',
    'Software',
    'Logistics',
    'Analytics',
    'Print Works',
    'Facilities',
    'Recruitment',
    'Hosting',
    'Security',
    'Design Studio',
    'Data Centres',
  ],
  en_US: [
    'Cloud Systems',
    'Travel Group',
    'Software',
    'Data Services',
    'Networks',
    'Analytics',
    'Hosting',
    'Marketing',
    'Office Supply',
    'Security',
    'Payments',
    'Labs',
  ],
};

const LEGAL_FORMS: Record<Locale, readonly string[]> = {
  de: ['GmbH', 'GmbH', 'GmbH', 'AG', 'KG', 'GmbH & Co. KG', 'OHG'],
  en_GB: ['Ltd', 'Ltd', 'Limited', 'PLC', 'LLP'],
  en_US: ['Inc.', 'Inc.', 'LLC', 'LLC', 'Corp.'],
};

/**
 * A company name in the locale's style, with the record's brand word (`brandWord`): "Hoffmann Kalomi Datentechnik
 * GmbH", "Baker & Hughes Resato Consulting Ltd".
 */
export function companyName(f: Faker, locale: Locale, brand: string): string {
  const family = f.person.lastName();
  const owners = f.number.int({ min: 0, max: 4 }) === 0 ? `${family} & ${f.person.lastName()}` : family;
  return `${owners} ${brand} ${f.helpers.arrayElement(TRADES[locale])} ${f.helpers.arrayElement(LEGAL_FORMS[locale])}`;
}

// The generator keeps names apart the way finsync's duplicate detection compares them.
export { normalizeName, trigramSimilarity };

/** Names already given in a run, for drawing a new one unlike all of them. */
export class NameRegistry {
  private readonly normalized: string[] = [];

  /** Draws names until one is below the similarity limit against every name so far, and records it. */
  draw(draw: () => string): string {
    for (let attempt = 0; attempt < 200; attempt++) {
      const name = draw();
      const norm = normalizeName(name);
      if (this.normalized.every((other) => trigramSimilarity(norm, other) < NAME_SIMILARITY_LIMIT)) {
        this.normalized.push(norm);
        return name;
      }
    }
    throw new Error('seed: could not draw a company name unlike all the others; the name pool is too small');
  }
}

/** A lower-case host-name label from a company name: "Hoffmann Datentechnik GmbH" → "hoffmann-datentechnik". */
export function domainLabel(name: string): string {
  const words = normalizeName(name)
    .split(' ')
    .filter((w) => w && w !== 'and');
  return words.join('-').slice(0, 40).replace(/-+$/, '');
}

/**
 * Digits unique to (seed, n): the seed's last three digits, then n. Tax ids and bank accounts are built from them, so
 * runs with different seeds (below 1000 apart) never share one.
 */
export function uniqueDigits(seed: number, n: number, width = 9): string {
  const seedPart = String(seed % 1000).padStart(3, '0');
  return seedPart + String(n).padStart(width - 3, '0');
}

/** The same digits with a leading 0 made 9: German VAT numbers never start with 0 for Tryton. */
function nonZeroFirst(digits: string): string {
  return digits.startsWith('0') ? `9${digits.slice(1)}` : digits;
}

/** The first of the candidates that the library accepts: check digits come from the validator, never computed here. */
type Check = (value: string) => boolean;

/** stdnum-js's validator of a country's identifier (the one Tryton's python-stdnum twin also applies). */
function stdnumCheck(country: string, kind: string): Check {
  const validator = stdnum[country]?.[kind];
  if (!validator) throw new Error(`seed: stdnum has no ${country}.${kind}`);
  return (value) => validator.validate(value).isValid;
}

function firstValid(candidates: Iterable<string>, isValid: (value: string) => boolean, what: string): string {
  for (const c of candidates) if (isValid(c)) return c;
  throw new Error(`seed: no valid ${what} among the candidates`);
}

function* withCheckDigits(base: string, width: number): Generator<string> {
  for (let d = 0; d < 10 ** width; d++) yield base + String(d).padStart(width, '0');
}

/**
 * A valid tax id for the supplier's country, unique to (seed, n), as finsync's onboarding checks it (stdnum-js, the
 * port of python-stdnum that Tryton validates identifiers with): a German VAT number (DE + 8 digits + check digit), a
 * British one (GB + 7 digits + 2 check digits), or a US EIN (a valid campus prefix + 7 digits). n < 100000 (DE),
 * n < 10000 (GB, US).
 */
export function taxId(locale: Locale, seed: number, n: number): string {
  if (locale === 'de') {
    // python-stdnum, which Tryton validates with, refuses a German VAT number starting with 0 (stdnum-js accepts it).
    const base = `DE${nonZeroFirst(uniqueDigits(seed, n, 8))}`;
    return firstValid(withCheckDigits(base, 1), stdnumCheck('DE', 'vat'), 'German VAT number');
  }
  if (locale === 'en_GB') {
    const base = `GB${uniqueDigits(seed, n, 7)}`;
    return firstValid(withCheckDigits(base, 2), stdnumCheck('GB', 'vat'), 'British VAT number');
  }
  const serial = uniqueDigits(seed, n, 7);
  const prefixes = Array.from({ length: 90 }, (_, i) => String(i + 10));
  return firstValid(
    prefixes.map((p) => `${p}-${serial}`),
    stdnumCheck('US', 'ein'),
    'US EIN',
  );
}

/**
 * The same number with its check digit broken (the last digit moved on by one): what a typing error gives. Planted
 * only for an anomaly.
 */
export function breakCheckDigit(value: string): string {
  const last = value.at(-1)!;
  return value.slice(0, -1) + String((Number(last) + 1) % 10);
}

const DE_BANK_CODES = ['10070000', '20050550', '37040044', '50010517', '70020270'];
const GB_BANKS: readonly (readonly [string, string])[] = [
  ['NWBK', '601613'],
  ['BARC', '200415'],
  ['LOYD', '309634'],
];

/**
 * A valid German or British IBAN whose account number is `accountDigits` (10 digits DE, 8 GB); its ISO 13616 check
 * digits come from ibantools (`composeIBAN`).
 */
export function iban(f: Faker, locale: 'de' | 'en_GB', accountDigits: string): string {
  const [countryCode, bban] =
    locale === 'de'
      ? ['DE', `${f.helpers.arrayElement(DE_BANK_CODES)}${accountDigits.padStart(10, '0').slice(-10)}`]
      : (() => {
          const [bank, sort] = f.helpers.arrayElement(GB_BANKS);
          return ['GB', `${bank}${sort}${accountDigits.padStart(8, '0').slice(-8)}`];
        })();
  const composed = composeIBAN({ countryCode, bban });
  if (!composed || !isValidIBAN(composed)) throw new Error(`seed: ${countryCode} ${bban} makes no valid IBAN`);
  return composed;
}

const SYLLABLES = ['ka', 'lo', 'mi', 're', 'tu', 'sa', 'no', 'vi', 'de', 'ra', 'po', 'li', 'be', 'zu', 'fe', 'ga'];

/**
 * A brand word for a company name, derived from the run's prefix and the record's index (a hash, so neighbouring
 * seeds give unrelated words): names of different data sets then differ by a whole word, and no clean vendor of one
 * run looks like a vendor of another to finsync's duplicate detection.
 */
export function brandWord(prefix: string, index: number): string {
  const hash = createHash('sha256').update(`${prefix}#${index}`).digest();
  const word = Array.from(hash.subarray(0, 4), (b) => SYLLABLES[b % SYLLABLES.length]).join('');
  return word.charAt(0).toUpperCase() + word.slice(1);
}
