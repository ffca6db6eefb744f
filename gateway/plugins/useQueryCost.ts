import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/** How many items a list without a `first` argument (an invoice's payments, a journal's lines) is assumed to hold. */
export const ASSUMED_LIST_SIZE = 10;
/** The items of a connection: already counted by the connection's `first`. */
const PAGE_ITEMS = new Set(['edges', 'nodes']);

/**
 * The estimated cost of one field: the objects it makes the subgraphs read. An object field is 1 plus its selection;
 * a paged field (`first`, defaults included) is 1 plus its selection multiplied by the page; another list of objects
 * (an invoice's payments, a journal's lines) is ASSUMED_LIST_SIZE times (1 plus its selection). Scalars are free.
 * So `invoices(first: 500) { edges { node { vendor { invoices(first: 500) … } } } }` costs over 250,000, refused
 * before any subgraph is called.
 */
export const estimateFieldCost: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const self = isCompositeType(getNamedType(field.type)) ? 1 : 0;
  const first = args['first'];
  if (typeof first === 'number') return self + Math.max(first, 1) * childComplexity;
  const list = isListType(getNullableType(field.type));
  if (list && self && !PAGE_ITEMS.has(field.name)) return ASSUMED_LIST_SIZE * (self + childComplexity);
  return self + childComplexity;
};

/** The estimated cost of an operation over the supergraph; null when its variables do not fit (execution says why). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number | null {
  try {
    return getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      ...(operationName ? { operationName } : {}),
      estimators: [estimateFieldCost],
    });
  } catch {
    return null;
  }
}

const refusal = (cost: number, maxCost: number) =>
  new GraphQLError(
    `The operation's estimated cost is ${cost}, over the limit of ${maxCost}: ask for smaller pages (first) or fewer nested lists.`,
    { extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost, http: { status: 400 } } },
  );

/**
 * A page-aware cost limit at the gateway (graphql-query-complexity over the supergraph): an operation over the
 * limit is refused before any subgraph is called, queries and subscriptions alike.
 */
export function useQueryCost(maxCost: number): GatewayPlugin {
  const check = (args: {
    schema: GraphQLSchema;
    document: DocumentNode;
    variableValues?: Record<string, unknown> | null;
    operationName?: string | null;
  }) => {
    const cost = operationCost(args.schema, args.document, args.variableValues ?? {}, args.operationName ?? undefined);
    return cost !== null && cost > maxCost ? refusal(cost, maxCost) : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args as Parameters<typeof check>[0]);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args as Parameters<typeof check>[0]);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  } as GatewayPlugin;
}
