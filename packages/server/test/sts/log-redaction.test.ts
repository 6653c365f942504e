import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { installLogRedaction, stsLogSerializers } from '../../src/sts/http/log-redaction.ts';

describe('STS log redaction', () => {
  it('never writes secrets, tokens, authorization headers, bodies or query strings', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = Fastify({ loggerInstance: pino({ level: 'trace' }, sink) });
    await app.register(async (scope) => {
      installLogRedaction(scope);
      scope.post('/oauth/2/token', { logSerializers: stsLogSerializers }, async (request) => {
        request.log.info(
          {
            client_secret: 'secret-1',
            subject_token: 'token-2',
            headers: { authorization: 'Basic c2VjcmV0LTM=' },
            form: { client_secret: 'secret-4', access_token: 'token-5' },
            body: 'grant_type=x&client_secret=secret-6',
          },
          'handling',
        );
        return { ok: true };
      });
    });
    const response = await app.inject({ method: 'POST', url: '/oauth/2/token?client_secret=secret-7', payload: { a: 1 } });
    expect(response.statusCode).toBe(200);
    await app.close();
    const output = lines.join('');
    expect(output).toContain('handling');
    expect(output).toContain('[redacted]');
    for (const secret of ['secret-1', 'token-2', 'c2VjcmV0LTM=', 'secret-4', 'token-5', 'secret-6', 'secret-7']) expect(output).not.toContain(secret);
  });
});
