import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MappingRule, MappingRuleSchema } from './MappingRule';

/** Rules by `<system>/<schema-or-db>.<table>`, the way a change event names its source. */
export type MappingRules = ReadonlyMap<string, MappingRule>;

export const ruleKey = (system: string, table: string): string => `${system}/${table}`;

/**
 * Reads and validates every rule file in `dir` (default: `cdc/mapping/rules`). Throws one error listing
 * every invalid file and field: a broken rule set must stop the process at start, not mid-stream.
 */
export function loadMappingRules(dir = join(__dirname, 'rules')): MappingRules {
  const rules = new Map<string, MappingRule>();
  const problems: string[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = MappingRuleSchema.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${file}: ${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    const key = ruleKey(parsed.data.source.system, parsed.data.source.table);
    if (rules.has(key)) problems.push(`${file}: a second rule for ${key}`);
    rules.set(key, parsed.data);
  }
  if (problems.length) throw new Error(`invalid mapping rules:\n  ${problems.join('\n  ')}`);
  return rules;
}
