import { graphql } from '../../graphql/gql';

/**
 * The vendors view's operations: the one place its GraphQL lives — the golden record, its onboarding state
 * (`activation`) and its duplicate candidates (open DUPLICATE_VENDOR exceptions; the steward's same / distinct
 * decision is the exceptions view's `DuplicateDecision`).
 */
export const VendorListQuery = graphql(`
  query VendorList($filter: CounterpartyFilter, $first: Int) {
    vendors(filter: $filter, first: $first) {
      totalCount
      pageInfo {
        hasNextPage
      }
      edges {
        node {
          id
          legalEntityId
          name
          taxId
          iban
          currency
          status
          activation {
            state
          }
          sourceReferences {
            system
            sourceId
          }
        }
      }
    }
  }
`);

export const VendorDetailQuery = graphql(`
  query VendorDetail($id: ID!, $withReconciliation: Boolean!) {
    vendor(id: $id) {
      id
      legalEntityId
      name
      taxId
      iban
      email
      currency
      status
      correlationId
      country
      activation {
        state
        activatedAt
        reason
      }
      canonicalUpdatedAt
      sourceUpdatedAt
      sourceReferences {
        system
        sourceTable
        sourceId
        role
      }
      reconciliation @include(if: $withReconciliation) {
        status
        openExceptions {
          id
          code
          message
          createdAt
          sourceSystem
          sourceId
          waiting {
            count
          }
        }
      }
    }
  }
`);
