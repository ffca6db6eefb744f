import { graphql } from '../../graphql/gql';

/** The postings view's operations: the one place its GraphQL lives. */
export const PostingQueueQuery = graphql(`
  query PostingQueue($filter: PostingFilter, $first: Int) {
    postingsConnection(filter: $filter, first: $first) {
      totalCount
      totals {
        currency
        count
        sum {
          amount
          currency
        }
      }
      pageInfo {
        hasNextPage
      }
      edges {
        node {
          id
          kind
          status
          legalEntityId
          amount {
            amount
            currency
          }
          preparer
          approver
          decisionReason
          createdAt
          postedAt
          correlationId
          erpDocument {
            reference
            documentNumber
          }
          confirmation {
            status
          }
          userErrors {
            code
            message
          }
          sourceDocument {
            type
            id
          }
          journal {
            number
            memo
          }
        }
      }
    }
  }
`);

export const PostingChangesSubscription = graphql(`
  subscription PostingChanges {
    postingStatusChanged {
      status
      changedAt
      posting {
        id
      }
    }
  }
`);

export const ApprovePostingMutation = graphql(`
  mutation ApprovePosting($id: ID!) {
    approvePosting(id: $id) {
      posting {
        id
        status
        approver
      }
      userErrors {
        code
        message
      }
    }
  }
`);

export const RejectPostingMutation = graphql(`
  mutation RejectPosting($id: ID!, $reason: String!) {
    rejectPosting(id: $id, reason: $reason) {
      posting {
        id
        status
        approver
      }
      userErrors {
        code
        message
      }
    }
  }
`);
