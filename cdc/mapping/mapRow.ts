import type { RowImage } from '../envelope/ChangeEvent';
import type { CodeTranslations } from './CodeTranslations';
import type { FieldSpec, MappingRule, Transform } from './MappingRule';

/** A field the rule could not map, in words a finance user can act on. */
export interface MappingProblem {
  /** Canonical field path, e.g. `lines[2].dimensions`. */
  readonly field: string;
  readonly code: 'UNMAPPED_VALUE' | 'UNMAPPED_CODE' | 'MISSING_VALUE' | 'INVALID_JSON';
  readonly message: string;
}

export type Mapped = Record<string, unknown>;

export type MapResult =
  | {
      readonly ok: true;
      /** The canonical fields (references not yet resolved). */
      readonly value: Mapped;
      /** Reference name → the referenced row's source id. */
      readonly references: Readonly<Record<string, string | null>>;
    }
  | { readonly ok: false; readonly problems: readonly MappingProblem[] };

/**
 * Applies a mapping rule to one source row. Pure: the code translations are passed in. Every problem of
 * the row is collected and returned together, not just the first.
 */
export function mapRow(rule: MappingRule, row: RowImage, translations: CodeTranslations): MapResult {
  const problems: MappingProblem[] = [];
  const value = mapFields(rule.fields, row, translations, '', problems);
  const references: Record<string, string | null> = {};
  for (const [name, ref] of Object.entries(rule.references)) {
    const raw = row[ref.from];
    references[name] = raw === null || raw === undefined ? null : String(raw);
  }
  return problems.length ? { ok: false, problems } : { ok: true, value, references };
}

/** The reason a rule leaves this row out, or null when the rule maps it. */
export function ignoredBecause(rule: MappingRule, row: RowImage, translations: CodeTranslations): string | null {
  for (const c of rule.ignoreWhen) {
    const v = row[c.from];
    const hit =
      (c.isNull === true && (v === null || v === undefined)) ||
      (c.equals !== undefined && v === c.equals) ||
      (c.translatedBy !== undefined &&
        v !== null &&
        v !== undefined &&
        !!translations.get(c.translatedBy)?.get(String(v)));
    if (hit) return c.because;
  }
  return null;
}

/** The source id of a row under a rule: the `sourceId` column(s) joined with ':'. */
export function sourceIdOf(rule: MappingRule, row: RowImage): string {
  return rule.sourceId
    .split(',')
    .map((c) => String(row[c.trim()]))
    .join(':');
}

function mapFields(
  fields: Readonly<Record<string, FieldSpec>>,
  row: Readonly<Record<string, unknown>>,
  translations: CodeTranslations,
  prefix: string,
  problems: MappingProblem[],
): Mapped {
  const out: Mapped = {};
  for (const [name, spec] of Object.entries(fields)) {
    out[name] = mapField(spec, row, translations, `${prefix}${name}`, problems);
  }
  return out;
}

function mapField(
  spec: FieldSpec,
  row: Readonly<Record<string, unknown>>,
  translations: CodeTranslations,
  path: string,
  problems: MappingProblem[],
): unknown {
  if ('const' in spec) return spec.const;
  if ('dimensions' in spec) {
    const dims: Record<string, string> = {};
    for (const d of spec.dimensions) {
      const code = row[d.from];
      if (code === null || code === undefined || code === '') continue;
      if (d.translate) {
        const t = translations.get(d.translate)?.get(String(code));
        if (!t) {
          problems.push(unmappedCode(path, d.translate, String(code)));
          continue;
        }
        dims[t.targetType.replace(/^DIMENSION:/, '')] = t.targetCode;
      } else {
        dims[d.type ?? d.from] = String(code);
      }
    }
    return dims;
  }
  const columns = typeof spec.from === 'string' ? [spec.from] : spec.from;
  let value: unknown = null;
  for (const c of columns) {
    if (row[c] !== null && row[c] !== undefined) {
      value = row[c];
      break;
    }
  }
  if (value === null && spec.default !== undefined) value = spec.default;
  if (value === null) {
    if (spec.required)
      problems.push({
        field: path,
        code: 'MISSING_VALUE',
        message: `${describe(path)} is missing (source column ${columns.join(' or ')} is empty)`,
      });
    return null;
  }
  if (spec.each) {
    const items = parseJsonArray(value);
    if (!items) {
      problems.push({
        field: path,
        code: 'INVALID_JSON',
        message: `${describe(path)} is not a list (source column ${columns[0]})`,
      });
      return null;
    }
    return items.map((item, i) =>
      mapFields(spec.each!, isRecord(item) ? item : {}, translations, `${path}[${i + 1}].`, problems),
    );
  }
  if (spec.transform) value = applyTransform(spec.transform, value);
  if (spec.map) {
    const mapped = spec.map[String(value)];
    if (mapped === undefined) {
      problems.push({
        field: path,
        code: 'UNMAPPED_VALUE',
        message: `${describe(path)} "${String(value)}" has no canonical equivalent (known: ${Object.keys(spec.map).join(', ')})`,
      });
      return null;
    }
    value = mapped;
  }
  if (spec.translate) {
    const t = translations.get(spec.translate)?.get(String(value));
    if (!t) {
      problems.push(unmappedCode(path, spec.translate, String(value)));
      return null;
    }
    value = t.targetCode;
  }
  return value;
}

function unmappedCode(path: string, domain: string, code: string): MappingProblem {
  const what = domain.toLowerCase().replace(/_/g, ' ');
  return {
    field: path,
    code: 'UNMAPPED_CODE',
    message: `${what} "${code}" has no translation to an ERP code (field ${path})`,
  };
}

function applyTransform(t: Transform, v: unknown): unknown {
  const s = String(v);
  switch (t) {
    case 'upper':
      return s.toUpperCase();
    case 'lower':
      return s.toLowerCase();
    case 'trim':
      return s.trim();
    case 'normalizeIban':
      return s.replace(/\s+/g, '').toUpperCase();
    case 'integer':
      return Number.parseInt(s, 10);
    case 'year':
      return Number.parseInt(s.slice(0, 4), 10);
    case 'month':
      return Number.parseInt(s.slice(5, 7), 10);
    case 'referenceModel':
      return s.split(',')[0]!;
  }
}

function parseJsonArray(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') {
    try {
      const parsed: unknown = JSON.parse(v);
      return Array.isArray(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `lines[2].accountCode` → `lines[2] account code`: field paths in the words of a sentence. */
function describe(path: string): string {
  return path.replace(/([a-z])([A-Z])/g, (_m, a: string, b: string) => `${a} ${b.toLowerCase()}`).replace(/\./g, ' ');
}
