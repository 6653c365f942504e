import type { ExchangedMandate } from '../auth/exchanged-mandate.ts';
import { SessionMandateCache } from '../auth/session-mandate-cache.ts';
import type { CaracalContext } from '../model/caracal-context.ts';
import { systemClock, type Clock } from '../time/clock.ts';
import type { TokenExchanger } from './token-exchanger.ts';

type ExchangeResult = Awaited<ReturnType<TokenExchanger['exchange']>>;

/**
 * Mandates that requests without authority of their own (MCP `initialize`, notifications, the
 * SSE stream) may present more than once, until shortly before they expire.
 *
 * Keyed by the context object itself, in a WeakMap: a mandate minted in one context is never
 * presented from another (not even a sibling with the same session), and it is forgotten with
 * its context. Concurrent requests in one context share a single exchange.
 * @internal
 */
export class ReusableMandates {
  readonly #byContext = new WeakMap<CaracalContext, SessionMandateCache>();
  readonly #clock: Clock;

  constructor(options: { clock?: Clock | undefined } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  /** A still-fresh mandate of `context`, or a new one from `exchange` (which runs in `context`). */
  accessToken(
    context: CaracalContext,
    options: { signal: AbortSignal | undefined; exchange: () => Promise<ExchangeResult> },
  ): Promise<string> {
    let cache = this.#byContext.get(context);
    if (cache === undefined) {
      const exchange = options.exchange;
      cache = new SessionMandateCache({ clock: this.#clock, fetch: async () => toMandate(await exchange()) });
      this.#byContext.set(context, cache);
    }
    return cache.token(options.signal);
  }
}

function toMandate(result: ExchangeResult): ExchangedMandate {
  return {
    accessToken: result.accessToken,
    tokenType: 'Bearer',
    issuedTokenType: undefined,
    expiresIn: result.expiresIn,
    expiresAt: undefined,
    scope: undefined,
  };
}
