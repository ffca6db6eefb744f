import { graphql } from '../graphql/gql';

/** Who is signed in and what they may do: the console offers only what the API would allow. */
export const MeQuery = graphql(`
  query Me {
    me {
      subject
      roles
      legalEntities
      permissions
    }
  }
`);
