import type { Dispatcher } from 'undici';
import type { CaracalContext } from '../../model/caracal-context.ts';
import { MAX_HOP } from '../../model/caracal-context.ts';
import { CaracalError } from '../../errors.ts';
import { extract } from '../../propagation/extract.ts';
import type { IncomingHeaders } from '../../propagation/headers.ts';
import { checkPolicy, type MandatePolicy } from './check-policy.ts';
import { contextFromClaims } from './context-from-claims.ts';
import { resolveFetch, type VerifierFetch } from './verifier-fetch.ts';
import { JwksCache } from './jwks-cache.ts';
import { readMandateClaims, type MandateClaims } from './mandate-claims.ts';
import { refuseMandate } from './mandate-refusal.ts';
import { ReplayCache } from './replay-cache.ts';
import { resolveRevocationStore } from '../revocation/resolve-revocation-store.ts';
import type { RevocationFeedHealth } from '../revocation/feed-health.ts';
import type { RevocationSource } from '../revocation/revocation-source.ts';
import type { RevocationStore } from '../revocation/revocation-store.ts';
import { verifySignature } from './verify-signature.ts';

/** @since 0.1.0 */
export interface VerifierOptions {
  /** The STS's issuer URL, exactly as in the mandates' `iss`. */
  readonly issuer: string;
  readonly zoneId: string;
  /** This receiver's resource identifier(s); the mandate's `aud` must name one. */
  readonly audience: string | readonly string[];
  /** @default `${issuer}/.well-known/jwks.json?zone_id=${zoneId}` */
  readonly jwksUrl?: string;
  readonly requiredScopes?: readonly string[];
  /** Refuse mandates without `agent_session_id`. @default false */
  readonly requireAgent?: boolean;
  /** Refuse mandates without `delegation_edge_id`. @default false */
  readonly requireDelegation?: boolean;
  /** Highest `hop_count` accepted. @default MAX_HOP (32) */
  readonly maxHops?: number;
  /** Which `use` values are accepted. Resource servers take per-call mandates. @default ['call'] */
  readonly acceptedUses?: readonly string[];
  /** @default 30 */
  readonly clockToleranceSeconds?: number;
  /** Refuse a per-call or protocol (`use: "call"`, `"protocol"`) mandate whose `jti` was seen before. Session mandates are reusable by design and never one-shot. @default true */
  readonly oneShot?: boolean;
  /** Where revocations come from; checked on every verification. */
  readonly revocation?: RevocationSource | RevocationStore;
  /**
   * What to do while the revocation source reports its feed `down` (docs/verify.md §4):
   * - `'fail-closed'` (default): refuse every mandate with `REVOCATION_UNAVAILABLE` (the
   *   middleware answers 503): a revocation made meanwhile cannot be missed;
   * - `'warn'`: keep accepting, with a process warning when the feed goes down; a mandate revoked
   *   meanwhile is accepted until it expires.
   * Either way a `CaracalWarning` (`CARACAL_REVOCATION_FEED_DOWN`) is emitted when the feed goes down.
   * @default 'fail-closed'
   */
  readonly revocationFeedDown?: 'fail-closed' | 'warn';
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
  readonly fetch?: VerifierFetch;
  readonly dispatcher?: Dispatcher;
  /** Background refresh interval of the JWKS. @default 600000 (10 min) */
  readonly jwksTtlMs?: number;
  /** Least time between two refetches caused by an unknown `kid`. @default 30000 */
  readonly jwksCooldownMs?: number;
  /** @default 5000 */
  readonly jwksTimeoutMs?: number;
  /** Bound of the replay cache (see docs/verify.md). @default 100000 */
  readonly maxReplayEntries?: number;
}

/** @since 0.1.0 */
export interface VerifyOptions {
  /** The request headers: `traceparent`, `tracestate` and foreign baggage go into the context (they grant nothing). */
  readonly headers?: IncomingHeaders;
  /** Scopes required for this call on top of the verifier's own. */
  readonly requiredScopes?: readonly string[];
  /**
   * Whether this request acts (e.g. an MCP `tools/call`). A protocol mandate (`use: "protocol"`,
   * minted without spending budget) is accepted only when this is `false`; unknown (`undefined`)
   * counts as acting. The verify middlewares with `mcp` set decide it from the JSON-RPC body.
   * @default undefined (acting)
   */
  readonly acting?: boolean;
}

/**
 * A mandate that passed every check, and the context rebuilt from its claims.
 * @since 0.1.0
 */
export interface VerifiedMandate {
  readonly token: string;
  readonly claims: MandateClaims;
  readonly context: CaracalContext;
}

/** @since 0.1.0 */
export interface Verifier {
  /**
   * Verifies a bearer mandate. Rejects with a `CaracalError`: `MANDATE_INVALID` (with `reason`),
   * `MANDATE_REVOKED` or `MANDATE_REPLAYED`; `NETWORK_ERROR`/`INVALID_RESPONSE` when the zone
   * keys cannot be fetched at all.
   */
  verify(token: string, options?: VerifyOptions): Promise<VerifiedMandate>;
  /** The revocation store checked on every call, if any. */
  readonly revocation: RevocationStore | undefined;
  readonly zoneId: string;
  /** Stops the background JWKS refresh. Revocation sources passed in are the caller's to close. */
  close(): Promise<void>;
}

function policyFrom(options: VerifierOptions): MandatePolicy {
  const maxHops = options.maxHops ?? MAX_HOP;
  if (!Number.isInteger(maxHops) || maxHops < 0 || maxHops > MAX_HOP) {
    throw new CaracalError('CONFIG_INVALID', `maxHops must be an integer from 0 to ${MAX_HOP}.`, { setting: 'maxHops' });
  }
  return {
    zoneId: options.zoneId,
    acceptedUses: options.acceptedUses ?? ['call'],
    requiredScopes: options.requiredScopes ?? [],
    requireAgent: options.requireAgent ?? false,
    requireDelegation: options.requireDelegation ?? false,
    maxHops,
  };
}

function checkOptions(options: VerifierOptions): void {
  for (const setting of ['issuer', 'zoneId'] as const) {
    if (typeof options[setting] !== 'string' || options[setting].length === 0) {
      throw new CaracalError('CONFIG_INVALID', `createVerifier needs ${setting}.`, { setting });
    }
  }
  const audience = typeof options.audience === 'string' ? [options.audience] : options.audience;
  if (!Array.isArray(audience) || audience.length === 0 || !audience.every((value) => typeof value === 'string' && value.length > 0)) {
    throw new CaracalError('CONFIG_INVALID', 'createVerifier needs audience: this receiver\'s resource identifier.', { setting: 'audience' });
  }
}

/**
 * Creates the receiving side's mandate verifier: ES256 against the zone JWKS (fetched once,
 * refreshed in the background), issuer, audience, times, zone, use, scopes, agent/delegation
 * presence, hop count, revocation and one-shot replay, then the context from verified claims.
 * @example
 * const verifier = createVerifier({ issuer: 'https://caracal.internal', zoneId: 'zone_prod', audience: 'mcp://tools.internal', requiredScopes: ['tools:call'] });
 * const { claims, context } = await verifier.verify(token, { headers: request.headers });
 * @since 0.1.0
 */
export function createVerifier(options: VerifierOptions): Verifier {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const issuer = options.issuer;
  const policy = policyFrom(options);
  const audience = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  const jwksUrl = options.jwksUrl ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json?zone_id=${encodeURIComponent(options.zoneId)}`;
  const keys = new JwksCache({
    url: jwksUrl,
    fetch: resolveFetch(options),
    now,
    ttlMs: options.jwksTtlMs ?? 600_000,
    cooldownMs: options.jwksCooldownMs ?? 30_000,
    timeoutMs: options.jwksTimeoutMs ?? 5_000,
  });
  const replays = new ReplayCache({ maxEntries: options.maxReplayEntries ?? 100_000, now });
  const revocation = resolveRevocationStore(options.revocation);
  const feedDown = watchFeedHealth(options);
  const oneShot = options.oneShot ?? true;
  const clockToleranceSeconds = options.clockToleranceSeconds ?? 30;

  return {
    revocation,
    zoneId: options.zoneId,
    async verify(token, verifyOptions = {}) {
      if (typeof token !== 'string') throw new CaracalError('INVALID_ARGUMENT', 'verify(token) needs the token as a string.');
      const payload = await verifySignature(token, keys, { issuer, audience, clockToleranceSeconds, now });
      const claims = readMandateClaims(payload as Record<string, unknown>);
      const extraScopes = verifyOptions.requiredScopes ?? [];
      if (claims.use === 'protocol' && verifyOptions.acting !== false) {
        throw refuseMandate(
          'protocol_mandate',
          'The mandate is a protocol mandate (use "protocol"): it authorizes only requests that act on nothing, not this one (e.g. tools/call); present a per-call mandate.',
        );
      }
      // A protocol mandate for a request that does not act stands where a per-call mandate would.
      const uses = claims.use === 'protocol' && policy.acceptedUses.includes('call') ? { acceptedUses: [...policy.acceptedUses, 'protocol'] } : {};
      checkPolicy(claims, { ...policy, ...uses, requiredScopes: [...policy.requiredScopes, ...extraScopes] });
      feedDown.check();
      const revokedId = revocation?.findRevoked({ sessionId: claims.agent_session_id, edgeIds: edgesOf(claims) });
      if (revokedId !== undefined) {
        throw new CaracalError('MANDATE_REVOKED', `The mandate was revoked (${revokedId}).`, { status: 401, serverCode: 'revoked' });
      }
      if (oneShot && (claims.use === 'call' || claims.use === 'protocol') && !replays.claim(`${claims.iss}\u0000${claims.jti}`, claims.exp * 1000 + clockToleranceSeconds * 1000)) {
        throw new CaracalError('MANDATE_REPLAYED', `The one-shot mandate ${claims.jti} was already used.`, { status: 401, serverCode: 'replayed' });
      }
      const lineage = verifyOptions.headers === undefined ? null : extract(verifyOptions.headers);
      return Object.freeze({ token, claims, context: contextFromClaims(token, claims, lineage) });
    },
    async close() {
      keys.close();
      feedDown.stop();
    },
  };
}

/**
 * Follows the source's feed health: warns when it goes down and, failing closed, refuses while it
 * is down. A store given directly, or a source without `health()`, is trusted as it is.
 */
function watchFeedHealth(options: VerifierOptions): { check(): void; stop(): void } {
  const mode = options.revocationFeedDown ?? 'fail-closed';
  if (mode !== 'fail-closed' && mode !== 'warn') {
    throw new CaracalError('CONFIG_INVALID', "revocationFeedDown must be 'fail-closed' or 'warn'.", { setting: 'revocationFeedDown' });
  }
  const source = options.revocation;
  if (source === undefined || 'isRevoked' in source || source.health === undefined) return { check: () => undefined, stop: () => undefined };
  const health = (): RevocationFeedHealth => source.health!();
  const stop =
    source.onHealthChange?.((now) => {
      if (now.state !== 'down') return;
      const consequence = mode === 'fail-closed' ? 'every mandate is refused until it is back' : 'mandates revoked meanwhile are accepted until they expire';
      process.emitWarning(`Caracal revocation feed of zone ${options.zoneId} is down (${describe(now.lastError)}); ${consequence}.`, { type: 'CaracalWarning', code: 'CARACAL_REVOCATION_FEED_DOWN' });
    }) ?? (() => undefined);
  return {
    check() {
      if (mode === 'warn') return;
      const now = health();
      if (now.state !== 'down') return;
      throw new CaracalError('REVOCATION_UNAVAILABLE', `The revocation feed is down since ${new Date(now.since).toISOString()} (${describe(now.lastError)}); mandates cannot be checked for revocation, so they are refused (revocationFeedDown: 'fail-closed').`, {
        status: 503,
        cause: now.lastError,
      });
    },
    stop,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error ?? 'no connection');
}

/** Every edge a mandate rests on: its path and its leaf. @internal */
export function edgesOf(claims: MandateClaims): string[] {
  const edges = [...claims.delegation_path];
  if (claims.delegation_edge_id !== undefined && !edges.includes(claims.delegation_edge_id)) edges.push(claims.delegation_edge_id);
  return edges;
}
