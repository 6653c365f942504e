/**
 * Caveats on a grant or a delegation edge (`constraints`, or its alias `constraints_json`).
 * @since 0.1.0
 */
export interface DelegationConstraints {
  /** Lifetime of mandates minted under it, in seconds. */
  readonly ttlSeconds?: number | undefined;
  /** How many edges a chain may still have from here down, this one included (1 = no further delegation). */
  readonly maxHops?: number | undefined;
  /** How many per-call mandates may be minted through it and everything below it. */
  readonly budget?: number | undefined;
  readonly policyApproved?: boolean | undefined;
}

/**
 * The authority a spawned session starts with:
 * - `'inherit'` (default): for a child, the authority its parent acts under, recorded by the
 *   Coordinator as an edge whose id becomes `delegationEdgeId` (one hop further); for a root
 *   session, its application's scopes as the session's ceiling, with no edge (hop 0);
 * - `{ mode: 'narrow', scopes, resource?, constraints? }`: a subset of it;
 * - `'none'`: nothing until something delegates to it.
 * @example
 * await caracal.spawn({ grant: { mode: 'narrow', scopes: ['tools:call'], resource: 'mcp://tools.local' } }, fn);
 * @since 0.1.0
 */
export type SpawnGrant =
  | 'inherit'
  | 'none'
  | {
      readonly mode: 'narrow';
      readonly scopes: readonly string[];
      /** A resource identifier the grant is limited to. */
      readonly resource?: string | undefined;
      readonly constraints?: DelegationConstraints | undefined;
    };

/**
 * What `spawn()` opens.
 * @since 0.1.0
 */
export interface SpawnOptions {
  /** Metadata only; the Coordinator treats all kinds alike. */
  readonly kind?: 'service' | 'instance' | 'ephemeral' | undefined;
  /** @default 'inherit' */
  readonly grant?: SpawnGrant | undefined;
  readonly capabilities?: readonly string[] | undefined;
  /** The session ends on its own after this many seconds. */
  readonly ttlSeconds?: number | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** Aborts opening the session (the callback can watch it too). */
  readonly signal?: AbortSignal | undefined;
  /** Reuse a key to make a repeated spawn (after a crash) return the same session. Generated when absent. */
  readonly idempotencyKey?: string | undefined;
  /**
   * Record the run on the session's timeline: `run_start` before `fn`, then `run_completed`, or
   * `run_failed` with the error's message (never its stack). `run_completed` and `run_failed`
   * end the session at the server, as the termination after `fn` does. @default true
   */
  readonly recordRun?: boolean | undefined;
  /**
   * Also record what `fn` returns as the session's `result` event (before `run_completed`): a
   * string as `result_text`, another JSON value as `result_data`, truncated past 24 KiB. @default false
   */
  readonly recordResult?: boolean | undefined;
}

/**
 * What `delegate()` records.
 * @since 0.1.0
 */
export interface DelegateOptions {
  /** The target agent session id. Inside the callback the code acts as this session. */
  readonly to: string;
  /** The application that owns the target session, when it is not this one. */
  readonly toClientId?: string | undefined;
  readonly scopes: readonly string[];
  /** A resource identifier the edge is limited to. */
  readonly resource?: string | undefined;
  readonly constraints?: DelegationConstraints | undefined;
  /** When the edge expires; give this or `ttlSeconds`, not both. */
  readonly expiresAt?: Date | string | undefined;
  readonly ttlSeconds?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Reuse a key to make a repeated delegation return the same edge. Generated when absent. */
  readonly idempotencyKey?: string | undefined;
}
