import { randomUUID } from 'node:crypto';
import type { CreateDelegationBody, CreatedDelegation as CreatedDelegationBody, PostEventBody, SpawnedSession, SpawnSessionBody, UncheckedBody } from '@caracal/protocol';
import { CaracalError } from '../errors.ts';
import { objectBody, type BearerSource, type HttpClient, type HttpRequest } from './http-client.ts';

/** @internal */
export interface CoordinatorClientOptions {
  readonly http: HttpClient;
  readonly baseUrl: URL;
  /** The bearer for every call: the client's session mandate (renewed once on a 401). */
  readonly bearer: BearerSource;
}

/** @internal */
export interface CreateCallOptions {
  /** Reused on every retry so the Coordinator creates one row at most. Generated when absent. */
  readonly idempotencyKey?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** @internal */
export interface CreatedAgentSession {
  readonly agentSessionId: string;
  /** The inherited grant's edge, when the Coordinator created one. */
  readonly delegationEdgeId: string | undefined;
  readonly body: Readonly<Record<string, unknown>>;
}

/** @internal */
export interface CreatedDelegation {
  readonly delegationEdgeId: string;
  readonly body: Readonly<Record<string, unknown>>;
}

function requiredId<Body>(body: UncheckedBody<Body>, field: keyof Body & string, status: number): string {
  const value = body[field];
  if (typeof value === 'string' && value.length > 0) return value;
  throw new CaracalError('INVALID_RESPONSE', `The Coordinator's response has no ${field}.`, { status });
}

function optionalId<Body>(body: UncheckedBody<Body>, field: keyof Body & string): string | undefined {
  const value = body[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The Coordinator REST routes the SDK calls. Thin: shapes and ids in, typed results out; the
 * HTTP client owns timeouts, retries and error mapping.
 * @internal
 */
export class CoordinatorClient {
  readonly #options: CoordinatorClientOptions;

  constructor(options: CoordinatorClientOptions) {
    this.#options = options;
  }

  #url(...segments: string[]): URL {
    const base = this.#options.baseUrl;
    const prefix = base.pathname.replace(/\/+$/, '');
    return new URL(`${prefix}/${segments.map(encodeURIComponent).join('/')}`, base);
  }

  /** Every call is idempotent (creates under a key), with this client's bearer. */
  #send(method: 'POST' | 'DELETE', segments: string[], request: Pick<HttpRequest, 'json' | 'headers' | 'signal'>) {
    return this.#options.http.send({ method, url: this.#url(...segments), bearer: this.#options.bearer, idempotent: true, ...request });
  }

  /** A create under an idempotency key, so a retried POST never creates twice. */
  #create(segments: string[], body: unknown, options: CreateCallOptions) {
    const headers = { 'idempotency-key': options.idempotencyKey ?? randomUUID() };
    return this.#send('POST', segments, { json: body, headers, signal: options.signal });
  }

  /** `POST /zones/{zoneId}/agents` → the new session's id. */
  async createAgentSession(zoneId: string, body: SpawnSessionBody, options: CreateCallOptions = {}): Promise<CreatedAgentSession> {
    const response = await this.#create(['zones', zoneId, 'agents'], body, options);
    const result = objectBody(response, 'POST /zones/{zoneId}/agents');
    const fields: UncheckedBody<SpawnedSession> = result;
    return {
      agentSessionId: requiredId(fields, 'agent_session_id', response.status),
      delegationEdgeId: optionalId(fields, 'delegation_edge_id'),
      body: result,
    };
  }

  /** `DELETE /zones/{zoneId}/agents/{id}`: terminates the session and its subtree. */
  async terminateAgentSession(zoneId: string, agentSessionId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#send('DELETE', ['zones', zoneId, 'agents', agentSessionId], { signal: options.signal });
  }

  /** `POST /zones/{zoneId}/delegations` → the new edge's id. */
  async createDelegation(zoneId: string, body: CreateDelegationBody, options: CreateCallOptions = {}): Promise<CreatedDelegation> {
    const response = await this.#create(['zones', zoneId, 'delegations'], body, options);
    const result = objectBody(response, 'POST /zones/{zoneId}/delegations');
    const fields: UncheckedBody<CreatedDelegationBody> = result;
    return { delegationEdgeId: requiredId(fields, 'delegation_edge_id', response.status), body: result };
  }

  /**
   * `POST /sessions/{id}/events` with a JSON array (the batch form). Not idempotent: retried only
   * when the server cannot have stored it (connection refused, 429, 503), so no event is stored twice.
   */
  async postSessionEvents(sessionId: string, events: readonly PostEventBody[], options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#options.http.send({
      method: 'POST',
      url: this.#url('sessions', sessionId, 'events'),
      json: events,
      bearer: this.#options.bearer,
      idempotent: false,
      signal: options.signal,
    });
  }
}
