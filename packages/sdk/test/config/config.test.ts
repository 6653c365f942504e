import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { Caracal, CaracalError, type CaracalOptions } from '../../src/index.ts';
import { sendJson, startFakeCaracalServer } from '../support/fake-caracal-server.ts';

/** An undici Agent that counts the requests handed to it. */
class CountingAgent extends Agent {
  dispatched = 0;
  override dispatch(...args: Parameters<Agent['dispatch']>): boolean {
    this.dispatched += 1;
    return super.dispatch(...args);
  }
}

const valid: CaracalOptions = { coordinatorUrl: 'http://127.0.0.1:4000', zoneId: 'zone_dev', clientId: 'app_one', clientSecret: 'secret' };

function configError(build: () => unknown): CaracalError {
  try {
    build();
  } catch (error) {
    if (error instanceof CaracalError && error.code === 'CONFIG_INVALID') return error;
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('new Caracal(options) validation', () => {
  it('accepts a valid configuration and defaults stsUrl to coordinatorUrl', async () => {
    const caracal = new Caracal(valid);
    expect(caracal.zoneId).toBe('zone_dev');
    expect(caracal.clientId).toBe('app_one');
    await caracal.close();
  });

  it.each([
    ['coordinatorUrl', { coordinatorUrl: undefined }, /coordinatorUrl: is required/],
    ['coordinatorUrl', { coordinatorUrl: 'not a url' }, /coordinatorUrl: is not a valid URL/],
    ['coordinatorUrl', { coordinatorUrl: 'ftp://host' }, /coordinatorUrl: must use http or https/],
    ['coordinatorUrl', { coordinatorUrl: 'http://host/?x=1' }, /coordinatorUrl: must not have a query/],
    ['stsUrl', { stsUrl: 'sts' }, /stsUrl: is not a valid URL/],
    ['zoneId', { zoneId: '' }, /zoneId: is required/],
    ['zoneId', { zoneId: ' zone ' }, /zoneId: must be a string without surrounding spaces/],
    ['clientId', { clientId: undefined }, /clientId: is required/],
    ['clientSecret | subjectToken | tokenSource', { clientSecret: undefined }, /one of these is required/],
    ['clientSecret + subjectToken', { subjectToken: 'token' }, /set only one of clientSecret, subjectToken/],
    ['tokenSource', { clientSecret: undefined, tokenSource: 'token' as never }, /tokenSource: must be a function/],
    ['timeoutMs', { timeoutMs: 0 }, /timeoutMs: must be a positive integer/],
    ['retry.retries', { retry: { retries: -1 } }, /retry.retries: must be an integer from 0/],
    ['retry.jitter', { retry: { jitter: 2 } }, /retry.jitter: must be a number from 0 to 1/],
    ['retry.retryableStatuses', { retry: { retryableStatuses: [999] } }, /retry.retryableStatuses/],
    ['dispatcher', { dispatcher: {} as never }, /dispatcher: must be an undici Dispatcher/],
    ['clock', { clock: { now: () => 0 } as never }, /clock: must have now\(\) and sleep/],
  ])('names %s when it is wrong', (setting, change, message) => {
    const error = configError(() => new Caracal({ ...valid, ...change } as CaracalOptions));
    expect(error.settings).toEqual([setting]);
    expect(error.setting).toBe(setting);
    expect(error.message).toMatch(message);
  });

  it('lists every problem in one error', () => {
    const error = configError(() => new Caracal({ coordinatorUrl: 'nope', zoneId: '', clientId: '', timeoutMs: -5 } as CaracalOptions));
    expect(error.settings).toEqual(['coordinatorUrl', 'zoneId', 'clientId', 'clientSecret | subjectToken | tokenSource', 'timeoutMs']);
    expect(error.message.split('\n')).toHaveLength(6);
  });

  it('accepts a dispatcher, a tokenSource and retry overrides, and uses them', async () => {
    const server = await startFakeCaracalServer();
    server.route('POST /zones/*/agents', (_request, response) => sendJson(response, 503, { error: 'temporarily_unavailable', error_description: 'down' }));
    const dispatcher = new CountingAgent();
    const caracal = new Caracal({ ...valid, coordinatorUrl: server.url, clientSecret: undefined, tokenSource: () => 'token', dispatcher, retry: { retries: 0 } });
    try {
      await expect(caracal.spawn({}, () => undefined)).rejects.toMatchObject({ status: 503 });
      // retries: 0 → a retryable 503 is tried once; the token came from tokenSource, the request went through the dispatcher.
      const attempts = server.requestsTo('POST /zones/*/agents');
      expect(attempts).toHaveLength(1);
      expect(attempts[0]!.headers.authorization).toBe('Bearer token');
      expect(dispatcher.dispatched).toBeGreaterThanOrEqual(1);
    } finally {
      await caracal.close();
      await dispatcher.close();
      await server.close();
    }
  });
});

describe('Caracal.fromEnv()', () => {
  const env = {
    CARACAL_COORDINATOR_URL: 'https://coordinator.internal:4000',
    CARACAL_STS_URL: 'https://sts.internal',
    CARACAL_ZONE_ID: 'zone_dev',
    CARACAL_CLIENT_ID: 'app_one',
    CARACAL_CLIENT_SECRET: 'secret',
  };

  it('builds a client from the variables', async () => {
    const caracal = Caracal.fromEnv(env);
    expect(caracal.zoneId).toBe('zone_dev');
    await caracal.close();
  });

  it.each([
    ['CARACAL_COORDINATOR_URL', { CARACAL_COORDINATOR_URL: undefined }, /CARACAL_COORDINATOR_URL: is required/],
    ['CARACAL_COORDINATOR_URL', { CARACAL_COORDINATOR_URL: 'localhost:4000' }, /CARACAL_COORDINATOR_URL: must use http or https/],
    ['CARACAL_STS_URL', { CARACAL_STS_URL: '::' }, /CARACAL_STS_URL: is not a valid URL/],
    ['CARACAL_ZONE_ID', { CARACAL_ZONE_ID: '' }, /CARACAL_ZONE_ID: is required/],
    ['CARACAL_CLIENT_ID', { CARACAL_CLIENT_ID: undefined }, /CARACAL_CLIENT_ID: is required/],
    ['CARACAL_CLIENT_SECRET | CARACAL_SUBJECT_TOKEN | tokenSource', { CARACAL_CLIENT_SECRET: '' }, /one of these is required/],
    ['CARACAL_CLIENT_SECRET + CARACAL_SUBJECT_TOKEN', { CARACAL_SUBJECT_TOKEN: 'token' }, /set only one of CARACAL_CLIENT_SECRET, CARACAL_SUBJECT_TOKEN/],
  ])('names %s when it is wrong', (setting, change, message) => {
    const error = configError(() => Caracal.fromEnv({ ...env, ...change }));
    expect(error.settings).toEqual([setting]);
    expect(error.message).toContain('Caracal.fromEnv()');
    expect(error.message).toMatch(message);
  });

  it('names every missing variable of an empty environment at once', () => {
    const error = configError(() => Caracal.fromEnv({}));
    expect(error.settings).toEqual(['CARACAL_COORDINATOR_URL', 'CARACAL_ZONE_ID', 'CARACAL_CLIENT_ID', 'CARACAL_CLIENT_SECRET | CARACAL_SUBJECT_TOKEN | tokenSource']);
  });

  it('names options, not variables, for what overrides supply', () => {
    const error = configError(() => Caracal.fromEnv({ ...env, CARACAL_CLIENT_SECRET: undefined }, { zoneId: '', timeoutMs: 1.5 }));
    expect(error.settings).toEqual(['zoneId', 'CARACAL_CLIENT_SECRET | CARACAL_SUBJECT_TOKEN | tokenSource', 'timeoutMs']);
  });
});
