import { AsyncLocalStorage } from 'node:async_hooks';
import type { CaracalContext } from '../model/caracal-context.ts';

/**
 * The one AsyncLocalStorage of the process. It lives on a versioned `Symbol.for` global so that
 * two installed copies of the SDK (say, an app and a library each bundling one) see the same
 * context; a breaking change to the stored value would bump the version in the key.
 */
const STORAGE_KEY: unique symbol = Symbol.for('caracal.sdk.context.v1') as never;

type GlobalWithStorage = typeof globalThis & { [STORAGE_KEY]?: AsyncLocalStorage<CaracalContext> };

function isStorageLike(value: unknown): value is AsyncLocalStorage<CaracalContext> {
  const candidate = value as Partial<AsyncLocalStorage<CaracalContext>> | undefined;
  return typeof candidate?.run === 'function' && typeof candidate.getStore === 'function';
}

/**
 * Returns the process-wide context storage, creating it on first use (not at import time, so the
 * module has no side effects and `sideEffects: false` holds).
 * @internal
 */
export function contextStorage(): AsyncLocalStorage<CaracalContext> {
  const registry = globalThis as GlobalWithStorage;
  const existing = registry[STORAGE_KEY];
  if (isStorageLike(existing)) return existing;
  const storage = new AsyncLocalStorage<CaracalContext>();
  Object.defineProperty(registry, STORAGE_KEY, { value: storage, writable: false, enumerable: false, configurable: false });
  return storage;
}
