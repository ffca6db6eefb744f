/**
 * The gateway's Prometheus metrics through Hive Gateway's own plugin (@graphql-mesh/plugin-prometheus), under
 * finsync's names, into the process registry that `runtime/metrics/serveMetrics.ts` serves on the gateway's scrape
 * port (the plugin's own /metrics on the public port is off: the API port is for clients):
 *   finsync_gateway_request_duration_seconds{operationName,operationType}   execute and subscribe
 *   finsync_gateway_errors_total{operationName,phase,code}                   GraphQL errors by extensions.code
 *   finsync_gateway_subgraph_duration_seconds{subgraphName,operationName}    each subgraph call
 *   finsync_gateway_subscriptions_active                                     subscriptions streaming now
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Logger as HiveLogger } from '@graphql-hive/logger';
import useMeshPrometheus, { createCounter, createHistogram } from '@graphql-mesh/plugin-prometheus';
import type { GraphQLError } from 'graphql';
import { gauge, LATENCY_BUCKETS, metricsRegistry } from '../../runtime/metrics/registry';

const subscriptionsActive = gauge(
  'finsync_gateway_subscriptions_active',
  'GraphQL subscriptions the gateway is streaming right now (HTTP and graphql-ws).',
);

const codeOf = (error: unknown): string => {
  const code = (error as GraphQLError | undefined)?.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
};

/** Counts subscriptions from their first result until their stream ends (completed, cancelled or failed). */
function useSubscriptionsActive(): GatewayPlugin {
  return {
    onSubscribe: () => ({
      onSubscribeResult: () => {
        subscriptionsActive.inc();
        let ended = false;
        return {
          onEnd: () => {
            if (ended) return;
            ended = true;
            subscriptionsActive.dec();
          },
        };
      },
    }),
  };
}

export function useGatewayMetrics(log: HiveLogger): GatewayPlugin[] {
  const registry = metricsRegistry;
  const prometheus = useMeshPrometheus({
    log,
    registry,
    endpoint: false,
    metrics: {
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'finsync_gateway_request_duration_seconds',
          help: 'Time to execute a GraphQL operation at the gateway, by operation name and type.',
          labelNames: ['operationName', 'operationType'],
          buckets: LATENCY_BUCKETS,
        },
        fillLabelsFn: (p) => ({
          operationName: p.operationName ?? 'Anonymous',
          operationType: p.operationType ?? 'unknown',
        }),
      }),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'finsync_gateway_errors_total',
          help: 'GraphQL errors returned by the gateway, by operation, phase and error code.',
          labelNames: ['operationName', 'phase', 'code'],
        },
        fillLabelsFn: (p) => ({
          operationName: p.operationName ?? 'Anonymous',
          phase: p.errorPhase ?? 'unknown',
          code: codeOf(p.error),
        }),
      }),
      graphql_gateway_subgraph_execute_duration: createHistogram({
        registry,
        histogram: {
          name: 'finsync_gateway_subgraph_duration_seconds',
          help: 'Time of each subgraph call made by the gateway, by subgraph and operation name.',
          labelNames: ['subgraphName', 'operationName'],
          buckets: LATENCY_BUCKETS,
        },
        fillLabelsFn: (p) => ({
          subgraphName: p.subgraphName,
          operationName: p.executionRequest.operationName ?? 'Anonymous',
        }),
      }),
    },
  });
  return [prometheus, useSubscriptionsActive()];
}
