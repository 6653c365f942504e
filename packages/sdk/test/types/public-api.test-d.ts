// Type tests for `@caracal/sdk`, imported by name as users import it. Checked by tsc through
// vitest's typecheck mode: a failed `expectTypeOf` or an unused `@ts-expect-error` fails the run.
import {
  bind,
  Caracal,
  CaracalError,
  captureContext,
  configure,
  current,
  defaultCaracal,
  delegate,
  exchange,
  headers,
  isCaracalError,
  requireContext,
  spawn,
  wrapWithContext,
  type CaracalContext,
  type CaracalErrorCode,
  type CaracalOptions,
  type ContextRunner,
  type DelegateOptions,
  type ExchangedMandate,
  type RetryAttemptContext,
  type RetryPolicy,
  type SpawnGrant,
  type SpawnOptions,
} from '@caracal/sdk';
import type * as sdk from '@caracal/sdk';
// @ts-expect-error -- only the exports map's subpaths exist
import type * as deepStorage from '@caracal/sdk/context/storage';
// @ts-expect-error -- dist files are not an entry either
import type * as deepDist from '@caracal/sdk/dist/index.js';
import { describe, expectTypeOf, test } from 'vitest';

declare const context: CaracalContext;
declare const caracal: Caracal;
declare const thrown: unknown;

/** Keys that must be present (not `?`). */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

describe('@caracal/sdk surface', () => {
  test('exports exactly these values (internals stay internal)', () => {
    expectTypeOf<keyof typeof sdk>().toEqualTypeOf<
      | 'Caracal'
      | 'CaracalError'
      | 'DEFAULT_RETRY_POLICY'
      | 'DEFAULT_TIMEOUT_MS'
      | 'ENVIRONMENT_VARIABLES'
      | 'MAX_HOP'
      | 'SPAWN_CLEANUP_ERROR_CHANNEL'
      | 'TIMELINE_SEND_ERROR_CHANNEL'
      | 'backoffDelay'
      | 'bind'
      | 'captureContext'
      | 'configure'
      | 'current'
      | 'defaultCaracal'
      | 'delegate'
      | 'exchange'
      | 'headers'
      | 'isCaracalError'
      | 'parseRetryAfter'
      | 'requireContext'
      | 'spawn'
      | 'systemClock'
      | 'timeline'
      | 'wrapWithContext'
    >();
  });

  test('deep imports into the package are not resolvable (the @ts-expect-error imports above)', () => {
    expectTypeOf<typeof deepStorage>().toBeAny();
    expectTypeOf<typeof deepDist>().toBeAny();
  });
});

describe('spawn and delegate', () => {
  test('resolve to what the callback returns, unwrapped once', () => {
    expectTypeOf(spawn({}, () => 42)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(spawn({}, async () => 'answer')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(caracal.spawn({ kind: 'ephemeral' }, async () => ({ ok: true as const }))).toEqualTypeOf<Promise<{ ok: true }>>();
    expectTypeOf(delegate({ to: 'agentsess_1', scopes: ['tools:call'] }, () => undefined)).toEqualTypeOf<Promise<undefined>>();
    expectTypeOf(caracal.delegate({ to: 'agentsess_1', scopes: [] }, async () => [1, 2])).toEqualTypeOf<Promise<number[]>>();
  });

  test('hand the callback the new context', () => {
    void spawn({}, (child) => expectTypeOf(child).toEqualTypeOf<CaracalContext>());
    void caracal.delegate({ to: 'agentsess_1', scopes: [] }, (child) => expectTypeOf(child).toEqualTypeOf<CaracalContext>());
  });

  test('grant is inherit, none, or narrow with scopes', () => {
    type GrantMode = Extract<SpawnGrant, string> | Extract<SpawnGrant, { mode: string }>['mode'];
    expectTypeOf<GrantMode>().toEqualTypeOf<'inherit' | 'narrow' | 'none'>();
    expectTypeOf<NonNullable<SpawnOptions['grant']>>().toEqualTypeOf<SpawnGrant>();
    void spawn({ grant: 'inherit' }, () => 1);
    void spawn({ grant: 'none' }, () => 1);
    void spawn({ grant: { mode: 'narrow', scopes: ['tools:call'], resource: 'mcp://tools.local', constraints: { ttlSeconds: 60, maxHops: 1 } } }, () => 1);
    // @ts-expect-error -- not a grant mode
    void spawn({ grant: 'all' }, () => 1);
    // @ts-expect-error -- narrow needs the scopes it narrows to
    void spawn({ grant: { mode: 'narrow' } }, () => 1);
    // @ts-expect-error -- inherit and none are plain strings, not objects
    void spawn({ grant: { mode: 'inherit', scopes: [] } }, () => 1);
  });

  test('spawn options: kind is metadata from a closed set; unknown or mistyped fields are refused', () => {
    expectTypeOf<NonNullable<SpawnOptions['kind']>>().toEqualTypeOf<'service' | 'instance' | 'ephemeral'>();
    void spawn({ kind: 'service', ttlSeconds: 600, labels: { team: 'a' }, metadata: { n: 1 }, capabilities: ['search'], signal: AbortSignal.timeout(1000), idempotencyKey: 'k' }, () => 1);
    // @ts-expect-error -- not a kind
    void spawn({ kind: 'daemon' }, () => 1);
    // @ts-expect-error -- misspelt option (ttlSeconds)
    void spawn({ ttl: 600 }, () => 1);
    // @ts-expect-error -- labels are strings
    void spawn({ labels: { replicas: 3 } }, () => 1);
  });

  test('delegate options: to and scopes are required; constraints are typed', () => {
    expectTypeOf<RequiredKeys<DelegateOptions>>().toEqualTypeOf<'to' | 'scopes'>();
    void delegate({ to: 'agentsess_1', toClientId: 'app_b', scopes: ['a'], resource: 'mcp://x', constraints: { maxHops: 1, budget: 10, policyApproved: true }, expiresAt: new Date() }, () => 1);
    void delegate({ to: 'agentsess_1', scopes: ['a'], expiresAt: '2030-01-01T00:00:00Z' }, () => 1);
    // @ts-expect-error -- scopes missing
    void delegate({ to: 'agentsess_1' }, () => 1);
    // @ts-expect-error -- misspelt constraint (maxHops)
    void delegate({ to: 'agentsess_1', scopes: [], constraints: { maxHop: 1 } }, () => 1);
    // @ts-expect-error -- expiresAt is a Date or an ISO string, not epoch seconds
    void delegate({ to: 'agentsess_1', scopes: [], expiresAt: 1_900_000_000 }, () => 1);
  });
});

describe('CaracalContext', () => {
  test('has the documented fields, with subjectToken, zoneId, clientId and hop required', () => {
    expectTypeOf<RequiredKeys<CaracalContext>>().toEqualTypeOf<'subjectToken' | 'zoneId' | 'clientId' | 'hop'>();
    expectTypeOf(context.hop).toEqualTypeOf<number>();
    expectTypeOf(context.agentSessionId).toEqualTypeOf<string | undefined>();
    expectTypeOf(context.delegationEdgeId).toEqualTypeOf<string | undefined>();
    expectTypeOf(context.parentEdgeId).toEqualTypeOf<string | undefined>();
    expectTypeOf(context.traceId).toEqualTypeOf<string | undefined>();
    expectTypeOf(context.traceFlags).toEqualTypeOf<string | undefined>();
    expectTypeOf(context.traceState).toEqualTypeOf<string | undefined>();
    expectTypeOf(context.baggage).toEqualTypeOf<Readonly<Record<string, string>> | undefined>();
  });

  test('is immutable: every field is readonly', () => {
    expectTypeOf<CaracalContext>().toEqualTypeOf<Readonly<CaracalContext>>();
    // @ts-expect-error -- contexts are values; derive a new one instead
    context.hop = 1;
    // @ts-expect-error -- same for every field
    context.agentSessionId = 'agentsess_2';
    // @ts-expect-error -- and for foreign baggage
    context.baggage!['k'] = 'v';
  });

  test('current, requireContext, bind, captureContext, wrapWithContext', () => {
    expectTypeOf(current()).toEqualTypeOf<CaracalContext | undefined>();
    expectTypeOf(requireContext()).toEqualTypeOf<CaracalContext>();
    expectTypeOf(bind(context, () => 1)).toEqualTypeOf<number>();
    expectTypeOf(bind(context, async (bound) => bound.hop)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(captureContext()).toEqualTypeOf<ContextRunner>();
    expectTypeOf(captureContext()(() => 'x')).toEqualTypeOf<string>();
    expectTypeOf(wrapWithContext((id: number, name: string) => id > 0 && name !== '')).toEqualTypeOf<(id: number, name: string) => boolean>();
    // @ts-expect-error -- a context needs zoneId, clientId and subjectToken
    bind({ hop: 0 }, () => 1);
  });
});

describe('Caracal client', () => {
  test('is built from options or the environment', () => {
    expectTypeOf(new Caracal({ coordinatorUrl: new URL('https://caracal.internal'), zoneId: 'z', clientId: 'c', clientSecret: 's' })).toEqualTypeOf<Caracal>();
    expectTypeOf(Caracal.fromEnv()).toEqualTypeOf<Caracal>();
    expectTypeOf(Caracal.fromEnv({ CARACAL_ZONE_ID: 'z' }, { timeoutMs: 5000 })).toEqualTypeOf<Caracal>();
    expectTypeOf(configure({ coordinatorUrl: 'https://caracal.internal', zoneId: 'z', clientId: 'c', subjectToken: 't' })).toEqualTypeOf<Caracal>();
    expectTypeOf(configure(caracal)).toEqualTypeOf<Caracal>();
    expectTypeOf(defaultCaracal()).toEqualTypeOf<Caracal>();
    expectTypeOf(caracal.zoneId).toEqualTypeOf<string>();
  });

  test('options: coordinatorUrl, zoneId and clientId are required; the rest is typed', () => {
    expectTypeOf<RequiredKeys<CaracalOptions>>().toEqualTypeOf<'coordinatorUrl' | 'zoneId' | 'clientId'>();
    void new Caracal({ coordinatorUrl: 'http://x', zoneId: 'z', clientId: 'c', tokenSource: async () => 't', retry: { retries: 5 }, onCleanupError: (event) => event.agentSessionId });
    // @ts-expect-error -- clientId missing
    void new Caracal({ coordinatorUrl: 'http://x', zoneId: 'z' });
    // @ts-expect-error -- timeoutMs is milliseconds, a number
    void new Caracal({ coordinatorUrl: 'http://x', zoneId: 'z', clientId: 'c', timeoutMs: '10s' });
    // @ts-expect-error -- misspelt option (clientSecret)
    void new Caracal({ coordinatorUrl: 'http://x', zoneId: 'z', clientId: 'c', clientSecrett: 's' });
    // @ts-expect-error -- retry overrides are typed field by field
    void new Caracal({ coordinatorUrl: 'http://x', zoneId: 'z', clientId: 'c', retry: { retries: '5' } });
  });

  test('exchange, headers, sessionMandate, close and await using', () => {
    expectTypeOf(caracal.exchange({ resource: 'mcp://tools.local', scopes: ['tools:call'] })).toEqualTypeOf<Promise<ExchangedMandate>>();
    expectTypeOf(exchange({ resource: 'mcp://tools.local' })).toEqualTypeOf<Promise<ExchangedMandate>>();
    expectTypeOf<ExchangedMandate['accessToken']>().toEqualTypeOf<string>();
    expectTypeOf(caracal.headers()).toEqualTypeOf<Record<string, string>>();
    expectTypeOf(headers()).toEqualTypeOf<Record<string, string>>();
    expectTypeOf(caracal.sessionMandate()).toEqualTypeOf<Promise<string>>();
    expectTypeOf(caracal.close()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(caracal).toExtend<AsyncDisposable>();
    // @ts-expect-error -- resource is required
    void caracal.exchange({ scopes: ['tools:call'] });
  });

  test('retry policy hooks see a typed, frozen attempt', () => {
    expectTypeOf<RetryPolicy['onFailedAttempt']>().toEqualTypeOf<((context: RetryAttemptContext) => void) | undefined>();
    expectTypeOf<RetryAttemptContext['error']>().toEqualTypeOf<CaracalError>();
    expectTypeOf<RetryAttemptContext>().toEqualTypeOf<Readonly<RetryAttemptContext>>();
  });
});

describe('CaracalError', () => {
  test('carries a code union and typed details', () => {
    expectTypeOf<CaracalError>().toExtend<Error>();
    expectTypeOf<CaracalError['code']>().toEqualTypeOf<CaracalErrorCode>();
    expectTypeOf<CaracalError['status']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CaracalError['requestId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<CaracalError['serverCode']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<CaracalError['retryAfterMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CaracalError['attempt']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<CaracalError['cause']>().toEqualTypeOf<unknown>();
  });

  test('codes are a closed string-literal union, not string', () => {
    expectTypeOf<'NO_ACTIVE_CONTEXT' | 'HOP_LIMIT_EXCEEDED' | 'CONFIG_INVALID' | 'MANDATE_REVOKED' | 'RATE_LIMITED'>().toExtend<CaracalErrorCode>();
    expectTypeOf<string>().not.toExtend<CaracalErrorCode>();
    expectTypeOf(new CaracalError('CONFLICT', 'm', { status: 409, requestId: 'r', cause: new Error('x') })).toEqualTypeOf<CaracalError>();
    // @ts-expect-error -- not a code
    void new CaracalError('NOT_A_CODE', 'm');
    // @ts-expect-error -- status is a number
    void new CaracalError('CONFLICT', 'm', { status: '409' });
  });

  test('isCaracalError narrows unknown, and a misspelt code does not compile', () => {
    if (isCaracalError(thrown)) {
      expectTypeOf(thrown).toEqualTypeOf<CaracalError>();
      // @ts-expect-error -- no such code, so the comparison is always false
      void (thrown.code === 'NO_ACTIVE_CONTXT');
    }
  });

  test('fields are readonly', () => {
    const error = new CaracalError('CONFLICT', 'm');
    // @ts-expect-error -- an error's code does not change
    error.code = 'NOT_FOUND';
  });
});
