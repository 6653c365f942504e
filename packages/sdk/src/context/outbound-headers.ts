import { inject } from '../propagation/index.ts';
import type { CaracalContext } from '../model/caracal-context.ts';

/**
 * The headers an outbound call carries for a context, with `token` as the bearer (the context's
 * own by default). `inject` writes `traceparent` (with a
 * fresh span id), `tracestate` when present, and `baggage` with the Caracal lineage next to any
 * foreign members.
 * @internal
 */
export function outboundHeaders(context: CaracalContext, token: string = context.subjectToken): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  inject(context, headers);
  return headers;
}
