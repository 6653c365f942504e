import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it, vi } from 'vitest';
import { bind, current, type CaracalContext } from '../../src/index.ts';

const context: CaracalContext = { subjectToken: 'token', zoneId: 'zone_test', clientId: 'app_test', agentSessionId: 'agentsess_g', hop: 0 };

describe('one AsyncLocalStorage per process', () => {
  it('lives on the versioned Symbol.for global', () => {
    bind(context, () => {
      const storage = (globalThis as Record<symbol, unknown>)[Symbol.for('caracal.sdk.context.v1')];
      expect(storage).toBeInstanceOf(AsyncLocalStorage);
      expect((storage as AsyncLocalStorage<CaracalContext>).getStore()).toBe(current());
    });
  });

  it('is shared by a second, separately loaded copy of the SDK', async () => {
    vi.resetModules();
    // A query makes the module loader evaluate a second instance, as a second installed copy would.
    const specifier = new URL('../../src/context/current.ts?second-copy', import.meta.url).href;
    const copy = (await import(/* @vite-ignore */ specifier)) as { current: typeof current };
    expect(copy.current).not.toBe(current);
    bind(context, () => expect(copy.current()?.agentSessionId).toBe('agentsess_g'));
    vi.resetModules();
  });
});
