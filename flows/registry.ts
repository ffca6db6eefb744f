import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowDefinitionSchema, type FlowDefinitionFile, type PolicyMode } from './definitions/FlowDefinitionSchema';

/** A flow definition as loaded: the file's content, and the file it came from. */
export type FlowDefinition = FlowDefinitionFile & { readonly file: string };

/**
 * Actions that post an amount: their approval follows erp/posting/postingPolicy.json's thresholds (or is always
 * asked for), never skipped, so a flow and the manual posting mutations agree on what needs an approver.
 */
const AMOUNT_ACTIONS: readonly string[] = ['POST_INVOICE', 'POST_JOURNAL', 'RECORD_PAYMENT'];

export const DEFINITIONS_DIR = join(__dirname, 'definitions');

/**
 * Reads and validates every `<FLOW_ID>.json` of the directory (zod, strict: an unknown key is a typo, refused); throws
 * one error listing every problem of every file. The file name is the flow id. Ordered by `position`.
 */
export function loadFlowDefinitions(dir = DEFINITIONS_DIR): readonly FlowDefinition[] {
  const problems: string[] = [];
  const flows: FlowDefinition[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`${name}: not JSON (${(err as Error).message})`);
      continue;
    }
    const parsed = FlowDefinitionSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((i) => `${name}: ${i.path.join('.') || '(file)'}: ${i.message}`));
      continue;
    }
    if (`${parsed.data.id}.json` !== name) problems.push(`${name}: id "${parsed.data.id}" is not the file's name`);
    flows.push({ ...parsed.data, file });
  }
  const positions = new Map<number, string>();
  for (const f of flows) {
    const modes = [f.policy.default, ...Object.values(f.policy.byLegalEntity)];
    if (AMOUNT_ACTIONS.includes(f.action) && modes.includes('AUTOMATIC')) {
      problems.push(
        `${f.id}.json: policy AUTOMATIC for action ${f.action}, which posts amounts: use APPROVAL_ABOVE_THRESHOLD ` +
          `(the thresholds of erp/posting/postingPolicy.json) or MANUAL`,
      );
    }
    const other = positions.get(f.position);
    if (other) problems.push(`${f.id}.json: position ${f.position} is also ${other}'s`);
    positions.set(f.position, f.id);
    const sources = flows.filter(
      (g) => g.trigger.source.system === f.trigger.source.system && g.trigger.source.table === f.trigger.source.table,
    );
    if (sources.length > 1 && sources[0] === f) {
      problems.push(`${sources.map((g) => g.id).join(', ')}: one flow per source table`);
    }
  }
  if (problems.length) throw new Error(`invalid flow definitions (${dir}):\n  ${problems.join('\n  ')}`);
  return Object.freeze(flows.sort((a, b) => a.position - b.position));
}

/** The flow definitions of this build, loaded once. */
export const FLOW_DEFINITIONS: readonly FlowDefinition[] = loadFlowDefinitions();

export function flowDefinition(id: string): FlowDefinition {
  const flow = FLOW_DEFINITIONS.find((f) => f.id === id);
  if (!flow) throw new Error(`no flow definition ${id} (known: ${FLOW_DEFINITIONS.map((f) => f.id).join(', ')})`);
  return flow;
}

/** The policy a flow applies in a legal entity. */
export const policyFor = (flow: FlowDefinitionFile, legalEntityId: string): PolicyMode =>
  flow.policy.byLegalEntity[legalEntityId] ?? flow.policy.default;
