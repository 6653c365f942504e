import {
  ACCESS_TOKEN_TYPE,
  CLIENT_CREDENTIALS_GRANT,
  TOKEN_EXCHANGE_GRANT,
  type TokenRequestForm,
  type TokenResponse,
  type UncheckedBody,
} from '@caracal/protocol';
import { SpanKind } from '@opentelemetry/api';
import { CaracalError } from '../errors.ts';
import { objectBody, type HttpClient, type HttpResponse } from '../http/http-client.ts';
import { inSpan } from '../telemetry/in-span.ts';
import type { Clock } from '../time/clock.ts';
import type { ExchangedMandate } from './exchanged-mandate.ts';

/** @internal */
export interface StsClientOptions {
  readonly http: HttpClient;
  readonly baseUrl: URL;
  readonly clock: Clock;
}

/** @internal */
export interface TokenExchangeRequest {
  readonly subjectToken: string;
  readonly resource: string;
  readonly scopes?: readonly string[] | undefined;
  readonly agentSessionId?: string | undefined;
  readonly delegationEdgeId?: string | undefined;
  /** `'protocol'`: a protocol mandate (no budget spent). @default 'call' */
  readonly use?: 'call' | 'protocol' | undefined;
  readonly signal?: AbortSignal | undefined;
}

function positiveNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Exchange refusals become TOKEN_EXCHANGE_FAILED; throttling and outages keep their own codes. */
function asExchangeFailure(error: unknown): unknown {
  const failure = error as CaracalError;
  const status = failure.status;
  if (status === undefined || status < 400 || status >= 500 || status === 408 || status === 429) return error;
  return new CaracalError('TOKEN_EXCHANGE_FAILED', failure.message, {
    status,
    serverCode: failure.serverCode,
    requestId: failure.requestId,
    attempt: failure.attempt,
    cause: error,
  });
}

/**
 * The STS token endpoint (`POST /oauth/2/token`, form-encoded): `client_credentials` for the
 * client's session mandate and RFC 8693 token exchange for per-call mandates.
 * @internal
 */
export class StsClient {
  readonly #options: StsClientOptions;

  constructor(options: StsClientOptions) {
    this.#options = options;
  }

  #tokenUrl(): URL {
    const base = this.#options.baseUrl;
    return new URL(`${base.pathname.replace(/\/+$/, '')}/oauth/2/token`, base);
  }

  /** A form POST to the token endpoint; `idempotent` says whether a retry is safe. */
  #postToken(form: TokenRequestForm, options: { idempotent: boolean; signal: AbortSignal | undefined }): Promise<HttpResponse> {
    return this.#options.http.send({ method: 'POST', url: this.#tokenUrl(), form, ...options });
  }

  #mandate(response: HttpResponse): ExchangedMandate {
    const body: UncheckedBody<TokenResponse> = objectBody(response, 'POST /oauth/2/token');
    const accessToken = body.access_token;
    if (typeof accessToken !== 'string' || accessToken.length === 0) {
      throw new CaracalError('INVALID_RESPONSE', "The STS response has no access_token.", { status: response.status, requestId: response.requestId });
    }
    const expiresIn = positiveNumber(body.expires_in);
    return Object.freeze({
      accessToken,
      tokenType: optionalText(body.token_type) ?? 'Bearer',
      issuedTokenType: optionalText(body.issued_token_type),
      expiresIn,
      expiresAt: expiresIn === undefined ? undefined : this.#options.clock.now() + expiresIn * 1000,
      scope: optionalText(body.scope),
    });
  }

  /** `grant_type=client_credentials`: the application's session mandate. Safe to repeat. */
  async clientCredentials(options: { clientId: string; clientSecret: string; signal?: AbortSignal | undefined }): Promise<ExchangedMandate> {
    const form: TokenRequestForm = { grant_type: CLIENT_CREDENTIALS_GRANT, client_id: options.clientId, client_secret: options.clientSecret };
    return this.#mandate(await this.#postToken(form, { idempotent: true, signal: options.signal }));
  }

  /**
   * RFC 8693 exchange for a mandate bound to one resource. Not idempotent (each mint may spend an
   * edge's budget), so only failures the STS cannot have acted on are retried. One
   * `caracal.exchange` span (a no-op without an OpenTelemetry SDK); it never holds a token.
   */
  exchange(request: TokenExchangeRequest): Promise<ExchangedMandate> {
    const attributes = {
      'caracal.resource': request.resource,
      ...(request.agentSessionId === undefined ? {} : { 'caracal.agent_session_id': request.agentSessionId }),
      ...(request.delegationEdgeId === undefined ? {} : { 'caracal.delegation_edge_id': request.delegationEdgeId }),
    };
    return inSpan('caracal.exchange', { kind: SpanKind.INTERNAL, attributes }, () => this.#exchange(request));
  }

  async #exchange(request: TokenExchangeRequest): Promise<ExchangedMandate> {
    const form: TokenRequestForm = {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: request.subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      resource: request.resource,
      scope: request.scopes === undefined || request.scopes.length === 0 ? undefined : request.scopes.join(' '),
      agent_session_id: request.agentSessionId,
      delegation_edge_id: request.delegationEdgeId,
      // Sent only when asked for: a per-call mandate is the STS's default.
      mandate_use: request.use === 'protocol' ? 'protocol' : undefined,
    };
    try {
      return this.#mandate(await this.#postToken(form, { idempotent: false, signal: request.signal }));
    } catch (error) {
      throw asExchangeFailure(error);
    }
  }
}
