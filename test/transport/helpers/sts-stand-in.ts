import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/**
 * A stand-in for the Caracal STS token endpoint, used until the real STS (packages/server/src/sts)
 * serves token exchange. It speaks the same wire format (`POST /oauth/2/token`, RFC 8693 form)
 * and mints ES256 JWT mandates whose `aud` is the requested resource, so target servers verify
 * the audience the way they would against the real STS.
 */
export interface StsStandIn {
  readonly url: string;
  readonly issuer: string;
  /** Form fields of every token exchange, in order. */
  readonly exchanges: Array<Readonly<Record<string, string>>>;
  /** Verifies a mandate for `audience`, as a protected server would. */
  verify(token: string, audience: string): Promise<JWTPayload>;
  close(): Promise<void>;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

async function readForm(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function mint(key: CryptoKey, issuer: string, form: Record<string, string>): Promise<string> {
  return new SignJWT({
    client_id: 'app_orchestrator',
    zone_id: 'zone_e2e',
    scope: form.scope ?? '',
    use: 'call',
    agent_session_id: form.agent_session_id,
    delegation_edge_id: form.delegation_edge_id,
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
    .setIssuer(issuer)
    .setSubject('app_orchestrator')
    .setAudience(form.resource ?? '')
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

export async function startStsStandIn(options: { sessionToken: string }): Promise<StsStandIn> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const exchanges: Array<Record<string, string>> = [];
  let issuer = '';
  const server = createServer((request, response) => {
    void (async () => {
      const form = await readForm(request);
      if (request.method !== 'POST' || request.url !== '/oauth/2/token') return reply(response, 404, { error: 'not_found', error_description: 'no such route' });
      if (form.grant_type !== TOKEN_EXCHANGE) return reply(response, 400, { error: 'unsupported_grant_type', error_description: 'token exchange only' });
      if (form.subject_token !== options.sessionToken) return reply(response, 400, { error: 'invalid_grant', error_description: 'unknown subject token' });
      if (!form.resource) return reply(response, 400, { error: 'invalid_target', error_description: 'resource is required' });
      exchanges.push(form);
      reply(response, 200, {
        access_token: await mint(privateKey, issuer, form),
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 300,
        scope: form.scope,
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: issuer,
    issuer,
    exchanges,
    verify: async (token, audience) => (await jwtVerify(token, publicKey, { issuer, audience, typ: 'at+jwt' })).payload,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
