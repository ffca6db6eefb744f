/** How one change ended. Every change ends in exactly one of these (nothing lost). */
export type Outcome = 'APPLIED' | 'PARKED' | 'REJECTED' | 'SKIPPED' | 'IGNORED' | 'POISON';
