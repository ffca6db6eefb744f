import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { OBJECT_TYPES } from '../../canonical-schema/model/enums';
import { CHECKS } from './checks';
import type { Subject } from './Subject';
import type { ValidationContext } from './ValidationContext';
import type { RuleViolation, ValidationRule } from './ValidationRule';

export interface ValidationRuleSet {
  readonly version: number;
  readonly rules: readonly ValidationRule[];
}

const RuleSetSchema = z.object({
  version: z.number().int().positive(),
  owner: z.string(),
  description: z.string(),
  rules: z.array(
    z
      .object({
        id: z.string().min(1),
        version: z.number().int().positive(),
        appliesTo: z.array(z.enum(OBJECT_TYPES)).min(1),
        check: z.string().refine((name) => name in CHECKS, 'names no check in cdc/validation/checks'),
        code: z.string().regex(/^[A-Z_]+$/),
        severity: z.enum(['ERROR', 'WARNING']),
        message: z.string().min(1),
        exceptSystems: z.array(z.string().min(1)).default([]),
        exceptBecause: z.string().optional(),
      })
      .strict()
      .refine((r) => !r.exceptSystems.length || !!r.exceptBecause, 'exceptSystems needs exceptBecause: say why'),
  ),
});

/** Reads and checks `rules.json`; throws one error listing every problem. */
export function loadValidationRules(file = join(__dirname, 'rules.json')): ValidationRuleSet {
  const parsed = RuleSetSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `invalid validation rules (${file}):\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`,
    );
  }
  return parsed.data;
}

/**
 * Runs every rule that applies to the subject (from the source system `system`); returns every violation,
 * in rule order.
 */
export async function validate(
  subject: Subject,
  ruleSet: ValidationRuleSet,
  context: ValidationContext,
  system = '',
): Promise<RuleViolation[]> {
  const out: RuleViolation[] = [];
  for (const rule of ruleSet.rules) {
    if (!rule.appliesTo.includes(subject.type) || rule.exceptSystems.includes(system)) continue;
    const check = CHECKS[rule.check]!;
    for (const v of await check(subject, context)) {
      out.push({
        ruleId: rule.id,
        ruleVersion: rule.version,
        code: rule.code,
        severity: rule.severity,
        field: v.field,
        message: fillTemplate(rule.message, v.params),
      });
    }
  }
  return out;
}

/** `{name}` → params.name; an unknown placeholder stays visible rather than silently empty. */
export function fillTemplate(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
