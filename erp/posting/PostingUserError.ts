/** A problem a finance user can act on: the rule's code, where (`lines[2].accountCode`), and what to do. */
export interface PostingUserError {
  readonly code: string;
  /** Path into the input (or the canonical invoice), or null when it concerns the whole posting. */
  readonly field: string | null;
  readonly message: string;
}
