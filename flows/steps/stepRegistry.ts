import { VENDOR_ONBOARDING_STEPS } from '../vendorOnboarding/steps';
import type { FlowDefinition } from '../registry';
import { DOCUMENT_STEPS } from './documentSteps';
import type { FlowStepSet } from './FlowSteps';

/** Every step a definition may name: the document steps and vendor onboarding's. */
export const FLOW_STEPS: FlowStepSet = {
  prerequisites: { ...DOCUMENT_STEPS.prerequisites, ...VENDOR_ONBOARDING_STEPS.prerequisites },
  checks: { ...DOCUMENT_STEPS.checks, ...VENDOR_ONBOARDING_STEPS.checks },
  actions: { ...DOCUMENT_STEPS.actions, ...VENDOR_ONBOARDING_STEPS.actions },
  completions: { ...DOCUMENT_STEPS.completions, ...VENDOR_ONBOARDING_STEPS.completions },
};

/** The steps a definition names that no code implements (empty: the engine can run it). */
export function missingSteps(flow: FlowDefinition, steps: FlowStepSet = FLOW_STEPS): string[] {
  return [
    ...flow.prerequisites.filter((p) => !steps.prerequisites[p]).map((p) => `prerequisite ${p}`),
    ...flow.checks.filter((c) => !steps.checks[c]).map((c) => `check ${c}`),
    ...(steps.actions[flow.action] ? [] : [`action ${flow.action}`]),
    ...(steps.completions[flow.completion] ? [] : [`completion ${flow.completion}`]),
  ];
}
