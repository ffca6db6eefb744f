import { graphql } from '../../graphql/gql';

/**
 * The overview's operations: the one place its GraphQL lives. `OverviewFlows` is the flows API (issue 12): each
 * flow's definition version, state, SLA, and per legal entity its documents waiting / in progress / posted / failed
 * and latency against the SLA, refreshed on `flowStateChanged` / `flowSlaBreached`; `PauseFlow` / `ResumeFlow`
 * operate it (act:flows). `OverviewReconciliations` is each reconciliation flow's status for a period.
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

export const OverviewReconciliationsQuery = graphql(`
  query OverviewReconciliations($legalEntityId: ID!, $period: String!, $numberPrefix: String) {
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

export const OverviewFlowsQuery = graphql(`
  query OverviewFlows {
    flows {
      id
      name
      version
      state
      stateReason
      stateChangedBy
      stateChangedAt
      implemented
      slaSeconds
      policy {
        default
        legalEntities {
          legalEntityId
          mode
          approvalThresholds {
            amount
            currency
          }
        }
      }
      stats {
        legalEntityId
        waiting
        inProgress
        posted
        failed
        oldestWaitingSince
        slaBreaches
        latencyP50Seconds
        latencyP95Seconds
        slaSeconds
      }
    }
  }
`);

export const OverviewFlowStateChanges = graphql(`
  subscription OverviewFlowStateChanges {
    flowStateChanged {
      state
      reason
      flow {
        id
      }
    }
  }
`);

export const OverviewFlowSlaBreaches = graphql(`
  subscription OverviewFlowSlaBreaches {
    flowSlaBreached {
      flowId
      legalEntityId
      number
    }
  }
`);

export const PauseFlowMutation = graphql(`
  mutation PauseFlow($id: ID!, $reason: String!) {
    pauseFlow(id: $id, reason: $reason) {
      flow {
        id
        state
        stateReason
      }
      userErrors {
        code
        message
      }
    }
  }
`);

export const ResumeFlowMutation = graphql(`
  mutation ResumeFlow($id: ID!, $reason: String!) {
    resumeFlow(id: $id, reason: $reason) {
      flow {
        id
        state
        stateReason
      }
      userErrors {
        code
        message
      }
    }
  }
`);
