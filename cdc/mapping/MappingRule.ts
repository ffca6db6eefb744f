import { z } from 'zod';
import { OBJECT_TYPES } from '../../canonical-schema/model/enums';

/**
 * A mapping rule: how rows of one source table become one canonical object. Rules are data
 * (`rules/<system>.<table>.json`), versioned; the version is stored on every canonical record it produced.
 * The interpreter is `mapRow`; nothing else knows source column names.
 */

/** How one canonical field is computed from the source row. */
export type FieldSpec =
  | { readonly const: string | number | boolean | null }
  | {
      /** Source column, or several: the first non-null wins. */
      readonly from: string | readonly string[];
      /** Value translation table (source value → canonical value); an unknown value is a mapping problem. */
      readonly map?: Readonly<Record<string, string>>;
      readonly transform?: Transform;
      /** Code translation domain owned by finance (table code_translation), e.g. PAYROLL_COST_CENTER. */
      readonly translate?: string;
      /** Used when the column is null. */
      readonly default?: string | number | boolean | null;
      /** The column holds a JSON array (or JSON text of one); each element is mapped with these fields. */
      readonly each?: Readonly<Record<string, FieldSpec>>;
      /** A null value (after `default`) is a mapping problem instead of a null field. */
      readonly required?: boolean;
    }
  /** Builds a { dimensionType: code } record from columns; see `DimensionSpec`. */
  | { readonly dimensions: readonly DimensionSpec[] };

/** One dimension of a line: a fixed type, or the type the translation table names. */
export interface DimensionSpec {
  readonly from: string;
  /** The dimension type when the source code is already an ERP dimension code. */
  readonly type?: string;
  /** Translate the source code first; the translation's target type (DIMENSION:<type>) names the type. */
  readonly translate?: string;
}

/**
 * `year` / `month`: the year or month number of a YYYY-MM-DD date; `referenceModel`: the model of a Tryton
 * reference value `"<model>,<id>"` (`account.invoice,7` → `account.invoice`).
 */
export type Transform = 'upper' | 'lower' | 'trim' | 'normalizeIban' | 'integer' | 'year' | 'month' | 'referenceModel';

/** A reference to another canonical object, through that object's source reference. */
export interface ReferenceSpec {
  readonly objectType: (typeof OBJECT_TYPES)[number];
  readonly system: string;
  readonly table: string;
  /** The column of this row holding the other row's source id. */
  readonly from: string;
}

/** Rows the rule deliberately leaves out: a column's value is null, equals a value, or has a translation. */
export interface IgnoreCondition {
  readonly from: string;
  readonly isNull?: boolean;
  readonly equals?: string | number | boolean;
  /** Ignored when the value has a translation in this domain (e.g. the ERP parties that are our own companies). */
  readonly translatedBy?: string;
  /** Why, for people reading the rule. */
  readonly because: string;
}

export interface MappingRule {
  readonly id: string;
  readonly version: number;
  readonly description: string;
  readonly source: { readonly system: string; readonly table: string };
  /** The canonical object produced; null means the table is captured but deliberately not mapped. */
  readonly target: (typeof OBJECT_TYPES)[number] | null;
  /** Column(s) whose value identifies the source row (joined with ':' when several). */
  readonly sourceId: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly references: Readonly<Record<string, ReferenceSpec>>;
  /** Rows of the table that are captured but not modelled. */
  readonly ignoreWhen: readonly IgnoreCondition[];
  /**
   * The rows of this table are attributes of another source row's canonical record (the ERP's tax
   * identifiers of a party): the mapped fields update the record that row became, and the change waits,
   * parked, until that row is canonical.
   */
  readonly attachTo: ReferenceSpec | null;
  /** Canonical fields this source does not hold: an update keeps the record's stored value. */
  readonly keepStored: readonly string[];
  /**
   * The source is the system of record for these objects (the ERP's parties): a record that only looks like
   * another by name is still created, with a POSSIBLE_DUPLICATE_VENDOR warning, instead of being refused.
   */
  readonly systemOfRecord: boolean;
}

const transform = z.enum(['upper', 'lower', 'trim', 'normalizeIban', 'integer', 'year', 'month', 'referenceModel']);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const dimensionSpec = z.object({ from: z.string(), type: z.string().optional(), translate: z.string().optional() });
const fieldSpec: z.ZodType<FieldSpec> = z.lazy(() =>
  z.union([
    z.object({ const: scalar }).strict(),
    z.object({ dimensions: z.array(dimensionSpec) }).strict(),
    z
      .object({
        from: z.union([z.string(), z.array(z.string()).min(1)]),
        map: z.record(z.string(), z.string()).optional(),
        transform: transform.optional(),
        translate: z.string().optional(),
        default: scalar.optional(),
        each: z.record(z.string(), fieldSpec).optional(),
        required: z.boolean().optional(),
      })
      .strict(),
  ]),
);

const referenceSpec = z.object({
  objectType: z.enum(OBJECT_TYPES),
  system: z.string(),
  table: z.string(),
  from: z.string(),
});

/** Validates a rule file; every problem is reported with its path. */
export const MappingRuleSchema: z.ZodType<MappingRule> = z
  .object({
    id: z.string().min(1),
    version: z.number().int().positive(),
    description: z.string().min(1),
    source: z.object({ system: z.string().min(1), table: z.string().min(1) }),
    target: z.enum(OBJECT_TYPES).nullable(),
    sourceId: z.string().min(1),
    fields: z.record(z.string(), fieldSpec).default({}),
    references: z.record(z.string(), referenceSpec).default({}),
    ignoreWhen: z
      .array(
        z
          .object({
            from: z.string().min(1),
            isNull: z.boolean().optional(),
            equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
            translatedBy: z.string().optional(),
            because: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    attachTo: referenceSpec.nullable().default(null),
    keepStored: z.array(z.string().min(1)).default([]),
    systemOfRecord: z.boolean().default(false),
  })
  .strict();
