/**
 * Who is asking: the authenticated principal, from a verified token — never from an input field. Every
 * subgraph receives it (gateway → internal token → RequestContext.principal); the posting functions take it as
 * the preparer or approver.
 */
export interface Principal {
  /** Stable id of the person or system (the token's `sub`). */
  readonly subject: string;
  /** Role names (security/roles.ts): viewer, analyst, accountant, approver, controller, admin, service. */
  readonly roles: readonly string[];
  /** Legal entities the principal may see and act for. */
  readonly legalEntities: readonly string[];
}
