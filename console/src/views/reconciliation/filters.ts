import { currentPeriod } from '../../lib/format';

/** The reconciliation views' URL filters: legal entity, period, number series. */
export const RECONCILIATION_DEFAULTS = { le: '', period: currentPeriod(), prefix: '' };
