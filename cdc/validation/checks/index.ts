import { accountsActive } from './accountsActive';
import { amountsFitStore } from './amountsFitStore';
import { amountsSane } from './amountsSane';
import { balancedPerCurrency } from './balancedPerCurrency';
import type { Check } from './Check';
import { counterpartyActive } from './counterpartyActive';
import { currencyKnown } from './currencyKnown';
import { datesSane } from './datesSane';
import { dimensionsKnown } from './dimensionsKnown';
import { invoiceNumberUnique } from './invoiceNumberUnique';
import { mandatoryDimensions } from './mandatoryDimensions';
import { periodOpen } from './periodOpen';
import { taxCodeValid } from './taxCodeValid';

/** The check functions rules.json may name. */
export const CHECKS: Readonly<Record<string, Check>> = {
  accountsActive,
  amountsFitStore,
  amountsSane,
  balancedPerCurrency,
  counterpartyActive,
  currencyKnown,
  datesSane,
  dimensionsKnown,
  invoiceNumberUnique,
  mandatoryDimensions,
  periodOpen,
  taxCodeValid,
};
