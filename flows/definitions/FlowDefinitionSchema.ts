import { z } from 'zod';

/**
 * The shape of a flow definition file (`flows/definitions/<FLOW_ID>.json`): what finance decides about a flow, as
 * data. Step names (prerequisites, checks, action, completion) name code in `flows/steps/`; the registry refuses a
 * definition naming a step that does not exist.
 */
const stepName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an UPPER_SNAKE step name');

/**
 * A flow's approval policy for one legal entity:
 * - AUTOMATIC: no approval step (only for flows that post no amount, e.g. vendor onboarding);
 * - APPROVAL_ABOVE_THRESHOLD: approval above the entity's threshold for the currency — the thresholds are
 *   `erp/posting/postingPolicy.json`'s `approvalThresholds`, the same the manual posting mutations apply, so the
 *   flows and the mutations never disagree about what needs an approver;
 * - MANUAL: every document waits for an approver.
 */
export const PolicyMode = z.enum(['AUTOMATIC', 'APPROVAL_ABOVE_THRESHOLD', 'MANUAL']);
export type PolicyMode = z.infer<typeof PolicyMode>;

/**
 * What a flow does when the ERP is down: QUEUE its documents and post each once it is back (the default); PAUSE
 * the flow (an operator resumes it); or EXCEPTION — proceed, raising a controlled exception per document held.
 */
export const Fallback = z.enum(['QUEUE', 'PAUSE', 'EXCEPTION']);
export type Fallback = z.infer<typeof Fallback>;

export const FlowDefinitionSchema = z
  .object({
    id: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    version: z.number().int().positive(),
    /** Where reports list it (1 first). */
    position: z.number().int().positive(),
    name: z.string().min(1),
    description: z.string().min(1),
    owner: z.string().min(1),
    trigger: z
      .object({
        objectType: z.enum(['INVOICE', 'PAYMENT', 'JOURNAL_ENTRY', 'VENDOR']),
        source: z
          .object({
            system: z.enum(['billing', 'procurement', 'payroll']),
            table: z.string().min(1),
            childTables: z.array(z.string()),
          })
          .strict(),
        /** The canonical statuses that start the flow for a record. */
        states: z.array(z.string().min(1)).min(1),
      })
      .strict(),
    /** Whether its records belong to a period (documents) or not (master data). */
    periodic: z.boolean(),
    /** States waited for (never failed on): the document stays WAITING until each holds. */
    prerequisites: z.array(stepName),
    /** Checks beyond the finance rules: a failure is an exception naming the check. */
    checks: z.array(stepName),
    action: stepName,
    completion: stepName,
    policy: z
      .object({ default: PolicyMode, byLegalEntity: z.record(z.string().regex(/^[A-Z]{2}-[A-Z]{2}$/), PolicyMode) })
      .strict(),
    fallback: Fallback,
    /** How long a document may wait between reaching its trigger state and being posted. */
    slaSeconds: z.number().int().positive(),
    reconciliation: z
      .object({
        /** Source status → the canonical statuses that agree with it. */
        statusMap: z.record(z.string(), z.array(z.string()).min(1)),
        comparesLines: z.boolean(),
      })
      .strict(),
  })
  .strict();

export type FlowDefinitionFile = z.infer<typeof FlowDefinitionSchema>;
