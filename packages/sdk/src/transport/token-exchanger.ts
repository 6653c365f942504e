import type { ExchangedMandate, ExchangeOptions } from '../auth/exchanged-mandate.ts';
import { CaracalError } from '../errors.ts';

/**
 * What the transports need from a `Caracal` client: its per-call token exchange, which presents
 * the current context's subject token, agent session and delegation edge to the STS. Typed
 * structurally so any object with this method (a `Caracal`, a test double) fits.
 * @example
 * const exchanger: TokenExchanger = caracal;
 * @since 0.1.0
 */
export interface TokenExchanger {
  exchange(options: ExchangeOptions): Promise<Pick<ExchangedMandate, 'accessToken'> & Partial<Pick<ExchangedMandate, 'expiresIn'>>>;
}

/**
 * Returns a getter for the exchanger to use: the given one, or `fallback` (the module-level
 * default client, which the entry passes in so transport code never imports the root client),
 * looked up at call time so `configure()` may run after the transport is created.
 * @internal
 */
export function resolveExchanger(caracal: TokenExchanger | undefined, fallback: () => TokenExchanger): () => TokenExchanger {
  if (caracal !== undefined) {
    if (typeof (caracal as Partial<TokenExchanger>).exchange !== 'function') {
      throw new CaracalError('INVALID_ARGUMENT', 'The caracal option must be a Caracal client (an object with an exchange() method).');
    }
    return () => caracal;
  }
  return fallback;
}
