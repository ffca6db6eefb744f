import { graphql } from '../../graphql/gql';

/**
 * The vendors view's operations: the one place its GraphQL lives. Onboarding state (the `vendor_activation` view)
 * and the steward's same / distinct decision on duplicates plug in here when vendor onboarding's API lands.
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
        }
      }
    }
  }
`);
