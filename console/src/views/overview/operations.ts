import { graphql } from '../../graphql/gql';

/**
 * The overview's operations: the one place its GraphQL lives. When issue 12's flows API lands, `OverviewFlows`
 * takes each flow's documents waiting / posted / failed and its latency against SLA (and the `flowStateChanged` /
 * SLA-breach subscriptions refresh it); today it shows the reconciliation flows' status and the posting queue.
 */
export const OverviewExceptionsQuery = graphql(`
  query OverviewExceptions($filter: ExceptionFilter, $open: ExceptionFilter) {
    open: exceptions(filter: $open, first: 0) {
      totalCount
    }
    exceptionAging(filter: $filter) {
      bucket
      minAgeHours
      maxAgeHours
      count
    }
    exceptionCountsByHour(filter: $filter, hours: 24) {
      hour
      raised
      closed
    }
  }
`);

export const OverviewPostingsQuery = graphql(`
  query OverviewPostings($legalEntityId: [ID!]) {
    waiting: postingsConnection(
      filter: { legalEntityId: $legalEntityId, status: [PENDING_APPROVAL, APPROVED, SUBMITTED] }
      first: 0
    ) {
      totalCount
    }
    posted: postingsConnection(filter: { legalEntityId: $legalEntityId, status: [POSTED] }, first: 0) {
      totalCount
      totals {
        currency
        sum {
          amount
          currency
        }
      }
    }
    failed: postingsConnection(filter: { legalEntityId: $legalEntityId, status: [FAILED] }, first: 0) {
      totalCount
    }
    postingCountsByHour(filter: { legalEntityId: $legalEntityId }, hours: 24) {
      hour
      prepared
      posted
      failed
    }
  }
`);

export const OverviewFreshnessQuery = graphql(`
  query OverviewFreshness {
    cdcFreshness {
      system
      lastAppliedAt
      lastSourceCommitAt
      lagSeconds
      secondsSinceLastApplied
    }
  }
`);

export const OverviewFlowsQuery = graphql(`
  query OverviewFlows($legalEntityId: ID!, $period: String!, $numberPrefix: String) {
    reconciliations(legalEntityId: $legalEntityId, period: $period, numberPrefix: $numberPrefix) {
      flow {
        id
        name
      }
      legalEntityId
      status
      differenceCount
    }
  }
`);

export const OverviewExceptionChanges = graphql(`
  subscription OverviewExceptionChanges {
    exceptionStatusChanged {
      change
      exception {
        id
      }
    }
  }
`);

export const OverviewPostingChanges = graphql(`
  subscription OverviewPostingChanges {
    postingStatusChanged {
      status
      posting {
        id
      }
    }
  }
`);
