import { graphql } from '../../graphql/gql';

/**
 * The reconciliation views' operations: the one place their GraphQL lives. Today's flows are the reconciliation
 * flows (subgraphs/reconciliation/flows); issue 12's flows plug in here when their API lands.
 */
export const ReconciliationGridQuery = graphql(`
  query ReconciliationGrid($legalEntityId: ID!, $period: String!, $numberPrefix: String) {
    reconciliations(legalEntityId: $legalEntityId, period: $period, numberPrefix: $numberPrefix) {
      flow {
        id
        name
        periodic
      }
      legalEntityId
      period
      status
      differenceCount
      stages {
        stage
        status
        count
        totals {
          currency
          sum {
            amount
            currency
          }
        }
      }
    }
  }
`);

export const ReconciliationChangedSubscription = graphql(`
  subscription ReconciliationChanged($flow: ID!, $legalEntityId: ID!, $period: String!, $numberPrefix: String) {
    reconciliationChanged(flow: $flow, legalEntityId: $legalEntityId, period: $period, numberPrefix: $numberPrefix) {
      changedAt
      reconciliation {
        flow {
          id
          name
          description
        }
        legalEntityId
        period
        status
        checkedAt
        stages {
          stage
          status
          note
          count
          totals {
            currency
            count
            sum {
              amount
              currency
            }
          }
        }
        stageDifferences {
          from
          to
          countDifference
          totals {
            amount
            currency
          }
        }
        differenceCount
        differences {
          reason
          status
          message
          sourceSystem
          sourceTable
          sourceId
          number
          sourceValue
          canonicalValue
          exception {
            id
            code
            correlationId
          }
          invoice {
            id
            correlationId
          }
          payment {
            id
            correlationId
          }
          journalEntry {
            id
            correlationId
          }
          vendor {
            id
            correlationId
          }
        }
      }
    }
  }
`);
