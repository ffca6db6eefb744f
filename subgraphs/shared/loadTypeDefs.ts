import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/** A subgraph's schema file with the shared value types (`common.graphql`) appended, parsed. */
export function loadTypeDefs(schemaFile: string): DocumentNode {
  const common = readFileSync(join(__dirname, 'common.graphql'), 'utf8');
  return parse(`${readFileSync(schemaFile, 'utf8')}\n${common}`);
}
