import type { ObjectType } from '../../canonical-schema/model/enums';

/** A finance validation rule, as declared in `rules.json` (data owned by finance, versioned). */
export interface ValidationRule {
  readonly id: string;
  readonly version: number;
  readonly appliesTo: readonly ObjectType[];
  /** The name of the check function in `checks/` that finds violations. */
  readonly check: string;
  /** The exception code a violation raises. */
  readonly code: string;
  readonly severity: 'ERROR' | 'WARNING';
  /** Message template; `{name}` placeholders are filled from the violation's params. */
  readonly message: string;
  /** Source systems the rule does not apply to (the ERP's own posted documents are the record). */
  readonly exceptSystems: readonly string[];
  /** Why those systems are exempt, in words finance agrees with. */
  readonly exceptBecause?: string;
}

/** What a check reports: the offending field and the words to fill the rule's message with. */
export interface Violation {
  readonly field: string;
  readonly params: Readonly<Record<string, string>>;
}

/** A violation with its rule applied: ready to become an exception. */
export interface RuleViolation {
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly code: string;
  readonly severity: 'ERROR' | 'WARNING';
  readonly field: string;
  readonly message: string;
}
