import { graphql } from '../../graphql/gql';

/** The record journey's operation: the one place its GraphQL lives. (Issue 12's journeys plug in here.) */
export const JourneyQuery = graphql(`
  query Journey($correlationId: ID!) {
    auditTrail(correlationId: $correlationId) {
      correlationId
      sourceRecords {
        system
        sourceTable
        sourceId
        objectType
        canonicalId
        updatedAt
      }
      events {
        id
        stage
        stages
        objectType
        sourceSystem
        sourceTable
        sourceId
        at
      }
      canonicalRecords {
        objectType
        canonicalId
        invoice {
          number
          status
          totalAmount {
            amount
            currency
          }
          canonicalUpdatedAt
        }
        payment {
          reference
          status
          totalAmount {
            amount
            currency
          }
        }
        journalEntry {
          number
          postingStatus
        }
        vendor {
          name
          status
        }
        customer {
          name
          status
        }
      }
      erpDocuments {
        system
        sourceTable
        sourceId
        objectType
        updatedAt
      }
      exceptions {
        id
        code
        status
        message
        createdAt
        resolvedAt
      }
      parked {
        reason
        prerequisiteType
        prerequisiteKey
        parkedAt
      }
      actions {
        action
        actor
        reason
        at
        outcome
      }
    }
  }
`);
