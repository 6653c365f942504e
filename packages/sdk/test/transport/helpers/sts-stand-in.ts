import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One token exchange the stand-in answered. */
export interface MintedMandate {
  readonly accessToken: string;
  /** The form fields of the exchange request, as sent. */
  readonly form: Readonly<Record<string, string>>;
}

export interface StsStandIn {
  readonly url: string;
  /** Every mandate minted, in order. */
  readonly minted: MintedMandate[];
  /** Answers the next exchanges with this status instead of a mandate (once per entry). */
  readonly failNext: number[];
  /** How many of the next exchanges to leave unanswered (a stalled STS). */
  stallNext: number;
  mandate(accessToken: string): MintedMandate | undefined;
  close(): Promise<void>;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A stand-in for the STS token endpoint (`POST /oauth/2/token`, RFC 8693 form), used until the
 * real STS lands. It accepts only `sessionTokens` as subject tokens and mints a distinct opaque
 * mandate per exchange, remembering the request it answered so tests can check the audience
 * asked for.
 */
export async function startStsStandIn(options: { sessionTokens: readonly string[]; expiresIn?: number }): Promise<StsStandIn> {
  const minted: MintedMandate[] = [];
  const failNext: number[] = [];
  const state = { stallNext: 0 };
  const reply = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const text = await readBody(request);
      if (request.method !== 'POST' || request.url !== '/oauth/2/token') return reply(response, 404, { error: 'not_found', error_description: 'no such route' });
      if (state.stallNext > 0) {
        state.stallNext--;
        return;
      }
      const failure = failNext.shift();
      if (failure !== undefined) return reply(response, failure, { error: 'invalid_grant', error_description: 'refused by the test' });
      const form = Object.fromEntries(new URLSearchParams(text));
      if (form.grant_type !== TOKEN_EXCHANGE) return reply(response, 400, { error: 'unsupported_grant_type', error_description: String(form.grant_type) });
      if (!options.sessionTokens.includes(form.subject_token ?? '')) return reply(response, 400, { error: 'invalid_grant', error_description: 'unknown subject token' });
      if (!form.resource) return reply(response, 400, { error: 'invalid_target', error_description: 'resource is required' });
      const accessToken = `mandate_${minted.length + 1}_${randomBytes(8).toString('hex')}`;
      minted.push({ accessToken, form });
      reply(response, 200, {
        access_token: accessToken,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: options.expiresIn ?? 900,
        scope: form.scope,
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const standIn: StsStandIn = Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    minted,
    failNext,
    mandate: (accessToken: string) => minted.find((entry) => entry.accessToken === accessToken),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return standIn;
}
