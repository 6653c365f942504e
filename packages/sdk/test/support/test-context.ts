import type { CaracalContext } from '../../src/model/caracal-context.ts';

/** A W3C trace id the propagation tests expect to see again on the wire. */
export const TEST_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A context of a zone's application; what a test checks it gives in `lineage`. */
export function testContext(lineage: Partial<CaracalContext> = {}): CaracalContext {
  return { subjectToken: 'token', zoneId: 'zone_test', clientId: 'app_test', hop: 0, ...lineage };
}
