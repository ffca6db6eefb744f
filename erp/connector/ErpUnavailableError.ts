/**
 * The ERP could not be asked (refused connection, timeout, 5xx, rate limited, login failing): an
 * infrastructure fault, thrown so that it reaches the retry loop. It is never a business refusal (those come
 * back as data, `ErpRefusal`).
 */
export class ErpUnavailableError extends Error {
  override readonly name = 'ErpUnavailableError';

  constructor(
    message: string,
    /** What went wrong, for logs and the posting's last error. */
    readonly reason: 'UNREACHABLE' | 'TIMEOUT' | 'HTTP_ERROR' | 'RATE_LIMITED' | 'LOGIN' | 'SERVER_ERROR',
    /**
     * Whether the request may have reached the ERP and committed there (a timeout or a connection reset after the
     * request was sent). A retry must then first look the document up by reference, after the ERP had time to
     * finish the request.
     */
    readonly mayHaveCommitted: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
