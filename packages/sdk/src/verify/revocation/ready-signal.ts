/** A readiness promise and the two ways to settle it. @internal */
export interface ReadySignal {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A readiness promise settled from outside. Its rejection is marked handled at once: callers may
 * never await `ready`, and a source closed before it caught up must not raise an unhandled
 * rejection for them.
 * @internal
 */
export function readySignal(): ReadySignal {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
