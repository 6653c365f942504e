import { AsyncLocalStorage } from 'node:async_hooks';
import { context as otelContext, ROOT_CONTEXT, trace, TraceFlags, type Context, type ContextManager } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caracal } from '../../src/index.ts';
import { startFakeCaracalServer, type FakeCaracalServer } from '../support/fake-caracal-server.ts';
import { testClient } from '../support/test-client.ts';

/** The least an OpenTelemetry context manager must do, so the API reports an active span. */
class TestContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.#storage.run(context, () => fn.apply(thisArg, args));
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

let server: FakeCaracalServer;
let caracal: Caracal;

beforeAll(async () => {
  otelContext.setGlobalContextManager(new TestContextManager());
  server = await startFakeCaracalServer();
  ({ caracal } = testClient(server));
});

afterAll(async () => {
  otelContext.disable();
  await caracal.close();
  await server.close();
});

describe('trace id of a top-level spawn', () => {
  it('joins the active OpenTelemetry span\'s trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const span = trace.wrapSpanContext({ traceId, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED });
    const seen = await otelContext.with(trace.setSpan(ROOT_CONTEXT, span), () => caracal.spawn({}, (context) => context.traceId));
    expect(seen).toBe(traceId);
  });

  it('starts a new trace without one, and keeps it for nested spawns', async () => {
    const [outer, inner] = await caracal.spawn({}, (context) => caracal.spawn({}, (child) => [context.traceId, child.traceId]));
    expect(outer).toMatch(/^[0-9a-f]{32}$/);
    expect(inner).toBe(outer);
  });
});
