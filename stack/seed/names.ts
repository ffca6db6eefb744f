/**
 * Company names, tax ids and bank accounts for the generated counterparties. Clean vendors must not look like
 * duplicates of each other: finsync flags two vendors whose normalized names have a trigram similarity of 0.8 or
 * more (pg_trgm), so the generator keeps every pair of names in a run below NAME_SIMILARITY_LIMIT.
 */
import type { Faker } from '@faker-js/faker';
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

/** A company name in the locale's style: "Hoffmann Datentechnik GmbH", "Baker & Hughes Consulting Ltd". */
export function companyName(f: Faker, locale: Locale): string {
  const family = f.person.lastName();
  const owners = f.number.int({ min: 0, max: 4 }) === 0 ? `${family} & ${f.person.lastName()}` : family;
  return `${owners} ${f.helpers.arrayElement(TRADES[locale])} ${f.helpers.arrayElement(LEGAL_FORMS[locale])}`;
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
 * Nine digits unique to (seed, n): the seed's last three digits, then n. Tax ids and bank accounts are built from
 * it, so runs with different seeds (below 1000 apart) never share one.
 */
export function uniqueDigits(seed: number, n: number, width = 9): string {
  const seedPart = String(seed % 1000).padStart(3, '0');
  return seedPart + String(n).padStart(width - 3, '0');
}

/** A German or British VAT id, or a US EIN, from nine digits. */
export function taxId(locale: Locale, digits: string): string {
  if (locale === 'de') return `DE${digits}`;
  if (locale === 'en_GB') return `GB${digits}`;
  return `${digits.slice(0, 2)}-${digits.slice(2)}`;
}

/** ISO 13616 check digits: the BBAN, then country and "00", letters as numbers, 98 - (that mod 97). */
function ibanCheckDigits(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return String(98n - (BigInt(numeric) % 97n)).padStart(2, '0');
}

const DE_BANK_CODES = ['10070000', '20050550', '37040044', '50010517', '70020270'];
const GB_BANKS: readonly (readonly [string, string])[] = [
  ['NWBK', '601613'],
  ['BARC', '200415'],
  ['LOYD', '309634'],
];

/** A valid German or British IBAN whose account number is `accountDigits` (10 digits DE, 8 GB). */
export function iban(f: Faker, locale: 'de' | 'en_GB', accountDigits: string): string {
  if (locale === 'de') {
    const bban = `${f.helpers.arrayElement(DE_BANK_CODES)}${accountDigits.padStart(10, '0').slice(-10)}`;
    return `DE${ibanCheckDigits('DE', bban)}${bban}`;
  }
  const [bank, sort] = f.helpers.arrayElement(GB_BANKS);
  const bban = `${bank}${sort}${accountDigits.padStart(8, '0').slice(-8)}`;
  return `GB${ibanCheckDigits('GB', bban)}${bban}`;
}

/** True when an IBAN's check digits are right (mod 97 of the rearranged number is 1). */
export function ibanValid(value: string): boolean {
  const rearranged = `${value.slice(4)}${value.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return BigInt(rearranged) % 97n === 1n;
}
