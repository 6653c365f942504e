/**
 * A per-call mandate from RFC 8693 token exchange: bound to one resource, short-lived.
 * @example
 * const mandate = await caracal.exchange({ resource: 'mcp://tools.local', scopes: ['tools:call'] });
 * const headers = { authorization: `Bearer ${mandate.accessToken}` };
 * @since 0.1.0
 */
export interface ExchangedMandate {
  readonly accessToken: string;
  /** `Bearer` for Caracal mandates. */
  readonly tokenType: string;
  /** RFC 8693 `issued_token_type`, when the STS sent it. */
  readonly issuedTokenType: string | undefined;
  /** Lifetime in seconds as the STS stated it. */
  readonly expiresIn: number | undefined;
  /** When it expires, in epoch milliseconds by the client's clock. */
  readonly expiresAt: number | undefined;
  /** Granted scopes, space-separated, when the STS sent them. */
  readonly scope: string | undefined;
}

/**
 * What `caracal.exchange()` asks for.
 * @since 0.1.0
 */
export interface ExchangeOptions {
  /** The RFC 8707 resource indicator of the server the mandate is for, e.g. `mcp://tools.local`. */
  readonly resource: string;
  readonly scopes?: readonly string[] | undefined;
  /**
   * `'protocol'` asks for a protocol mandate: it authorizes only requests that act on nothing
   * (MCP `initialize`, notifications, the SSE stream …), and minting it spends no delegation
   * budget. A receiver accepts it only where it knows the request does not act (docs/verify.md).
   * @default 'call'
   */
  readonly use?: 'call' | 'protocol' | undefined;
  readonly signal?: AbortSignal | undefined;
}
