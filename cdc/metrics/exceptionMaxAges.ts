/**
 * Finance's maximum open age per exception code (`cdc/validation/exceptionMaxAges.json`, versioned data beside the
 * validation rules). Read once at start; a bad file stops the process with the reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const schema = z.object({
  version: z.number().int().positive(),
  owner: z.string(),
  description: z.string(),
  defaultSeconds: z.number().int().positive(),
  codes: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.number().int().positive()),
});

export interface ExceptionMaxAges {
  readonly defaultSeconds: number;
  readonly codes: Readonly<Record<string, number>>;
  /** The allowed age of an exception of this code. */
  of(code: string): number;
}

export const EXCEPTION_MAX_AGES_FILE = join(__dirname, '..', 'validation', 'exceptionMaxAges.json');

export function loadExceptionMaxAges(file = EXCEPTION_MAX_AGES_FILE): ExceptionMaxAges {
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${file}: ${problems}`);
  }
  const { defaultSeconds, codes } = parsed.data;
  return { defaultSeconds, codes, of: (code) => codes[code] ?? defaultSeconds };
}
