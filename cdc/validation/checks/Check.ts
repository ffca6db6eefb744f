import type { Subject } from '../Subject';
import type { ValidationContext } from '../ValidationContext';
import type { Violation } from '../ValidationRule';

/** A check finds every violation of one rule in one subject; it never throws for bad data. */
export type Check = (subject: Subject, context: ValidationContext) => Promise<Violation[]>;
