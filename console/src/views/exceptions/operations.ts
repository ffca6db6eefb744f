import { graphql } from '../../graphql/gql';

/**
 * The exceptions workbench's operations: the one place its GraphQL lives. (When issue 12's flows API lands, the
 * `flow` filter takes its flow ids and `flowId` its flow; the queries stay.)
 */
export const ExceptionQueueQuery = graphql(`
  query ExceptionQueue($filter: ExceptionFilter, $first: Int) {
    exceptions(filter: $filter, first: $first) {
      totalCount
      pageInfo {
        hasNextPage
      }
      edges {
        node {
          id
          code
          severity
          message
          legalEntityId
          flowId
          sourceSystem
          sourceTable
          sourceId
          owner
          status
          createdAt
          ageSeconds
          correlationId
          waiting {
            count
            totals {
              amount
              currency
            }
          }
        }
      }
    }
  }
`);

/** The flows to filter by (reconciliation flows today; a reader without read:reconciliation has no flow filter). */
export const ExceptionFlowsQuery = graphql(`
  query ExceptionFlows {
    reconciliationFlows {
      id
      name
    }
  }
`);

export const ExceptionChangesSubscription = graphql(`
  subscription ExceptionChanges($legalEntityId: ID) {
    exceptionStatusChanged(legalEntityId: $legalEntityId) {
      change
      status
      changedAt
      exception {
        id
        code
      }
    }
  }
`);

export const ExceptionDetailQuery = graphql(`
  query ExceptionDetail($id: ID!) {
    exception(id: $id) {
      id
      code
      ruleId
      ruleVersion
      severity
      message
      objectType
      field
      legalEntityId
      flowId
      sourceSystem
      sourceTable
      sourceId
      canonicalId
      correlationId
      status
      owner
      resolutionReason
      createdAt
      resolvedAt
      ageSeconds
      retryCount
      lastRetryAt
      sourceEvent
      waiting {
        count
        lines
        oldestSince
        totals {
          amount
          currency
        }
      }
      waitingDocuments(first: 20) {
        sourceSystem
        sourceTable
        sourceId
        waitsFor
        since
        amount {
          amount
          currency
        }
      }
      actions {
        action
        reason
        actor
        statusBefore
        statusAfter
        ownerBefore
        ownerAfter
        at
        processedAt
        outcome
      }
    }
  }
`);

export const ExceptionTrailQuery = graphql(`
  query ExceptionTrail($correlationId: ID!) {
    auditTrail(correlationId: $correlationId) {
      events {
        id
        stage
        stages
        sourceSystem
        sourceTable
        sourceId
        at
      }
    }
  }
`);

export const RetryExceptionMutation = graphql(`
  mutation RetryException($id: ID!, $reason: String!) {
    retryException(id: $id, reason: $reason) {
      exception {
        id
        status
        retryCount
      }
      userErrors {
        code
        message
      }
    }
  }
`);

export const ResolveExceptionMutation = graphql(`
  mutation ResolveException($id: ID!, $reason: String!) {
    resolveException(id: $id, reason: $reason) {
      exception {
        id
        status
      }
      userErrors {
        code
        message
      }
    }
  }
`);

export const IgnoreExceptionMutation = graphql(`
  mutation IgnoreException($id: ID!, $reason: String!) {
    ignoreException(id: $id, reason: $reason) {
      exception {
        id
        status
      }
      userErrors {
        code
        message
      }
    }
  }
`);

export const AssignExceptionMutation = graphql(`
  mutation AssignException($id: ID!, $owner: String, $reason: String!) {
    assignException(id: $id, owner: $owner, reason: $reason) {
      exception {
        id
        owner
      }
      userErrors {
        code
        message
      }
    }
  }
`);

export const ResolveDuplicateVendorMutation = graphql(`
  mutation ResolveDuplicateVendor($id: ID!, $decision: VendorDecision!, $reason: String!) {
    resolveDuplicateVendor(id: $id, decision: $decision, reason: $reason) {
      exception {
        id
        status
      }
      userErrors {
        code
        message
      }
    }
  }
`);
