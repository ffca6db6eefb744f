/**
 * Who is asking: the authenticated principal. Resolvers pass it from the request's verified token (a signed
 * development token until the security issue lands); no posting function reads a preparer or approver from input.
 */
export interface Principal {
  /** Stable id of the person or system (the token's `sub`). */
  readonly subject: string;
  /** Role names; what each may do and up to which amount is in `postingPolicy.json`. */
  readonly roles: readonly string[];
  /** Legal entities the principal may act for. */
  readonly legalEntities: readonly string[];
}
