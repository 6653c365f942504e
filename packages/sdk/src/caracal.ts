import type { ExchangedMandate, ExchangeOptions } from './auth/exchanged-mandate.ts';
import { StsClient } from './auth/sts-client.ts';
import { createTokenProvider, type TokenProvider } from './auth/token-provider.ts';
import type { CaracalOptions } from './config/caracal-options.ts';
import { ENVIRONMENT_VARIABLES, optionsFromEnv, type Environment } from './config/from-env.ts';
import { resolveConfig, type ResolvedConfig, type SettingNames } from './config/resolve-config.ts';
import type { CaracalContext } from './model/caracal-context.ts';
import { requireContext } from './context/current.ts';
import { delegateSession } from './context/delegate.ts';
import { outboundHeaders } from './context/outbound-headers.ts';
import { spawnSession } from './context/spawn.ts';
import type { DelegateOptions, SpawnOptions } from './context/spawn-options.ts';
import { CaracalError } from './errors.ts';
import { registerClientInternals } from './client-internals.ts';
import { CoordinatorClient } from './http/coordinator-client.ts';
import { HttpClient } from './http/http-client.ts';
import { publishSendError } from './timeline/send-error.ts';
import { createSessionTimeline, type SessionTimeline } from './timeline/session-timeline.ts';
import { TimelineReporter } from './timeline/timeline-reporter.ts';


/**
 * A client for one application in one zone: opens agent sessions, records delegations and
 * exchanges mandates, over keep-alive connections to the Coordinator and the STS. A thin facade:
 * the work is in `context/`, `http/` and `auth/`.
 * @example
 * const caracal = Caracal.fromEnv();
 * await caracal.spawn({ kind: 'instance' }, async () => {
 *   // The worker: a child session holding a narrowed grant (an edge orchestrator → worker).
 *   await caracal.spawn({ kind: 'ephemeral', grant: { mode: 'narrow', scopes: ['tools:call'], resource: 'mcp://tools.local' } }, runWorker);
 * });
 * @since 0.1.0
 */
export class Caracal {
  /** The zone this client works in. */
  readonly zoneId: string;
  /** The application this client runs as (its OAuth `client_id`). */
  readonly clientId: string;
  readonly #config: ResolvedConfig;
  readonly #http: HttpClient;
  readonly #coordinator: CoordinatorClient;
  readonly #sts: StsClient;
  readonly #sessionToken: TokenProvider;
  readonly #reporter: TimelineReporter;
  /**
   * Recording on the current session's timeline: `record()` an event, `result()` the run's
   * result, `stats()` of what was sent, dropped or failed. Queued and sent in batches; never
   * blocks or throws because of the server.
   * @example
   * caracal.timeline.record({ event_type: 'message', role: 'assistant', content: [{ type: 'text', text: 'On it.' }] });
   */
  readonly timeline: SessionTimeline;

  /** @throws CaracalError `CONFIG_INVALID` listing every missing or invalid option. */
  constructor(options: CaracalOptions) {
    const config = resolveConfig(options);
    this.#config = config;
    this.zoneId = config.zoneId;
    this.clientId = config.clientId;
    const http = new HttpClient({ dispatcher: config.dispatcher, timeoutMs: config.timeoutMs, retry: config.retry, clock: config.clock });
    this.#http = http;
    this.#sts = new StsClient({ http, baseUrl: config.stsUrl, clock: config.clock });
    this.#sessionToken = createTokenProvider(config.credentials, { sts: this.#sts, clock: config.clock });
    const coordinator = new CoordinatorClient({ http, baseUrl: config.coordinatorUrl, bearer: this.#sessionToken });
    this.#coordinator = coordinator;
    this.#reporter = new TimelineReporter({
      send: (sessionId, events) => coordinator.postSessionEvents(sessionId, events),
      ...config.timeline,
      onSendError: publishSendError,
    });
    this.timeline = createSessionTimeline(this.#reporter, config.clock);
    registerClientInternals(this, { config, sessionToken: this.#sessionToken, reporter: this.#reporter });
  }

  /**
   * A client configured from environment variables (`CARACAL_COORDINATOR_URL`,
   * `CARACAL_STS_URL`, `CARACAL_ZONE_ID`, `CARACAL_CLIENT_ID`, and `CARACAL_CLIENT_SECRET` or
   * `CARACAL_SUBJECT_TOKEN`). Errors name the variables.
   * @param overrides - options the environment cannot carry (dispatcher, clock, retry, tokenSource).
   * @example
   * const caracal = Caracal.fromEnv(process.env, { timeoutMs: 5000 });
   * @since 0.1.0
   */
  // eslint-disable-next-line no-restricted-properties -- the one sanctioned env read (docs/decisions/2026-12-04-library-code-side-effects.md)
  static fromEnv(env: Environment = process.env, overrides: Partial<CaracalOptions> = {}): Caracal {
    const names: Record<string, string> = {};
    for (const [option, variable] of Object.entries(ENVIRONMENT_VARIABLES)) {
      if ((overrides as Record<string, unknown>)[option] === undefined) names[option] = variable;
    }
    const options = optionsFromEnv(env, overrides);
    // Validated here first so errors name the environment variables, not the options.
    resolveConfig(options, { names: names as SettingNames, source: 'Caracal.fromEnv()' });
    return new Caracal(options);
  }

  /**
   * Opens an agent session, runs `fn` inside its context, then terminates the session (best
   * effort; see `onCleanupError`). Inside another session's context the new one is its child.
   * @returns what `fn` returns.
   * @example
   * const answer = await caracal.spawn({ kind: 'ephemeral', ttlSeconds: 600 }, async (context) => agent.run(task));
   * @since 0.1.0
   */
  spawn<R>(options: SpawnOptions, fn: (context: CaracalContext) => R | PromiseLike<R>): Promise<R> {
    const { zoneId, clientId, onCleanupError } = this.#config;
    const timeline = { reporter: this.#reporter, clock: this.#config.clock };
    return spawnSession({ coordinator: this.#coordinator, zoneId, clientId, sessionToken: this.#sessionToken, onCleanupError, timeline }, options, fn);
  }

  /**
   * Records a delegation edge from the current session to `options.to` and runs `fn` as the
   * target under that edge. The edge stays active after `fn` returns. For a session that already
   * exists (typically another application's agent, which tells you its id); to hand a worker you
   * are spawning a narrowed grant, give `spawn` a `grant` instead.
   * @throws CaracalError `NO_ACTIVE_CONTEXT`, `NO_AGENT_SESSION` or `HOP_LIMIT_EXCEEDED` before any request.
   * @example
   * await caracal.delegate({ to: partnerSessionId, toClientId: 'app_partner', scopes: ['agents:message'], constraints: { maxHops: 1 } }, runWorker);
   * @since 0.1.0
   */
  delegate<R>(options: DelegateOptions, fn: (context: CaracalContext) => R | PromiseLike<R>): Promise<R> {
    return delegateSession({ coordinator: this.#coordinator }, options, fn);
  }

  /**
   * Exchanges this client's session mandate (RFC 8693) for a short-lived mandate bound to one
   * resource, presenting the current context's agent session and delegation edge. The MCP and
   * A2A transports call this before every request.
   * @throws CaracalError `NO_ACTIVE_CONTEXT` outside a context; `TOKEN_EXCHANGE_FAILED` when the STS refuses.
   * @example
   * const { accessToken } = await caracal.exchange({ resource: 'mcp://tools.local', scopes: ['tools:call'] });
   * @since 0.1.0
   */
  async exchange(options: ExchangeOptions): Promise<ExchangedMandate> {
    const context = requireContext();
    if (typeof options?.resource !== 'string' || options.resource.length === 0) {
      throw new CaracalError('INVALID_ARGUMENT', 'exchange() needs a resource (the RFC 8707 resource indicator).', { setting: 'resource' });
    }
    if (options.use !== undefined && options.use !== 'call' && options.use !== 'protocol') {
      throw new CaracalError('INVALID_ARGUMENT', "exchange(): use must be 'call' or 'protocol'.", { setting: 'use' });
    }
    // Always our own credentials: a context bound from a caller's verified mandate lends us its
    // session and edge, never its token.
    const subjectToken = await this.#sessionToken(options.signal);
    return this.#sts.exchange({
      subjectToken,
      resource: options.resource,
      scopes: options.scopes,
      use: options.use,
      // Inside a delegation to another application's session we present our own authority.
      ...(context.actingSessionId === undefined
        ? { agentSessionId: context.agentSessionId, delegationEdgeId: context.delegationEdgeId }
        : { agentSessionId: context.actingSessionId, delegationEdgeId: context.actingEdgeId }),
      signal: options.signal,
    });
  }

  /**
   * The outbound headers for the current context: `authorization`, `traceparent`, `baggage`,
   * and `tracestate` when there is one. In a context this client spawned, `authorization` carries
   * the client's current session mandate (refreshed as it nears expiry), not the one of the
   * moment the context began. Fails closed outside a context.
   * @example
   * await fetch(url, { headers: { ...caracal.headers(), 'content-type': 'application/json' } });
   * @since 0.1.0
   */
  headers(): Record<string, string> {
    const context = requireContext();
    // A context this client spawned holds the session mandate of that moment, which expires in
    // a long-running agent: present the client's current one instead. Other contexts (a caller's,
    // bound by the verify middleware) keep their own token.
    const fresh = context.clientId === this.clientId ? this.#sessionToken.current() : undefined;
    return outboundHeaders(context, fresh);
  }

  /**
   * This client's current session mandate, obtained or refreshed as needed. `refusedToken` names
   * one a server refused (401), so a new one is minted instead of the cached one: what an SSE
   * revocation source's `tokenSource` hint carries.
   * @example
   * const token = await caracal.sessionMandate();
   * const revocation = sseRevocationSource({ url, zoneId, tokenSource: (hint) => caracal.sessionMandate(hint) });
   * @since 0.1.0
   */
  sessionMandate(options: { signal?: AbortSignal; refusedToken?: string | undefined } = {}): Promise<string> {
    if (options.refusedToken !== undefined) this.#sessionToken.invalidate(options.refusedToken);
    return this.#sessionToken(options.signal);
  }

  /**
   * Sends the timeline events still queued (waiting at most the flush timeout), then closes the
   * keep-alive connections the client owns (not a dispatcher you passed in).
   * @example
   * await caracal.close();
   * @since 0.1.0
   */
  async close(): Promise<void> {
    await this.#reporter.flush();
    await this.#http.close();
  }

  /** `await using caracal = new Caracal(options)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
