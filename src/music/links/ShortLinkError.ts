/** Stable codes of {@link ShortLinkError}; user messages are keyed by these. */
export type ShortLinkErrorCode =
  | 'SHORT_LINK_TIMEOUT'
  | 'SHORT_LINK_NETWORK'
  | 'SHORT_LINK_DEAD'
  | 'SHORT_LINK_TOO_MANY_REDIRECTS'
  | 'SHORT_LINK_OFF_PLATFORM'
  | 'SHORT_LINK_UNRESOLVED';

/**
 * Following a share link (`spotify.link/…`, `on.soundcloud.com/…`) failed.
 *
 * `code` says why: the service did not answer in time (`SHORT_LINK_TIMEOUT`) or at all
 * (`SHORT_LINK_NETWORK`), answered 4xx/5xx (`SHORT_LINK_DEAD`, with `status`), redirected too
 * often, redirected somewhere that is not the same music service (`SHORT_LINK_OFF_PLATFORM`,
 * never followed), or ended on a page with no recognisable item (`SHORT_LINK_UNRESOLVED`).
 * `retryable` is true when trying again later may help (timeouts, network, 429, 5xx).
 */
export class ShortLinkError extends Error {
  override readonly name = 'ShortLinkError';
  readonly code: ShortLinkErrorCode;
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(code: ShortLinkErrorCode, message: string, options: { status?: number; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}
