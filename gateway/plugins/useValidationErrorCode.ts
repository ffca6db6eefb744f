import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

/**
 * A document that fails validation — the query limits (depth, aliases, tokens, directives) included — is answered
 * with HTTP 400 and `extensions.code: GRAPHQL_VALIDATION_FAILED`, so a client can tell a refused document from a
 * failed execution by its code alone.
 */
export function useValidationErrorCode(): GatewayPlugin {
  return {
    onValidate({ validateFn, setValidationFn }) {
      // GraphQL Armor throws its refusals out of the validation rule: caught here, they become validation errors.
      setValidationFn((...args: Parameters<typeof validateFn>) => {
        try {
          return validateFn(...args);
        } catch (err) {
          if (err instanceof GraphQLError) return [err];
          throw err;
        }
      });
      return ({ result, setResult }) => {
        if (result.length === 0) return;
        setResult(
          result.map(
            (e) =>
              new GraphQLError(e.message, {
                nodes: e.nodes,
                source: e.source,
                positions: e.positions,
                path: e.path,
                originalError: e.originalError,
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...e.extensions, http: { status: 400 } },
              }),
          ),
        );
      };
    },
  } as GatewayPlugin;
}
