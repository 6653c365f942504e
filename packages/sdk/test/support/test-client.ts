import { Caracal, type CaracalOptions } from '../../src/index.ts';
import { createFakeClock, type FakeClock } from './fake-clock.ts';
import type { FakeCaracalServer } from './fake-caracal-server.ts';

export const ZONE = 'zone_test';
export const CLIENT = 'app_test';
export const TOKEN = 'session-token';

/** A client pointed at the fake server, with a fake clock and no jitter. */
export function testClient(server: FakeCaracalServer, overrides: Partial<CaracalOptions> = {}): { caracal: Caracal; clock: FakeClock } {
  const clock = (overrides.clock as FakeClock | undefined) ?? createFakeClock();
  const caracal = new Caracal({
    coordinatorUrl: server.url,
    zoneId: ZONE,
    clientId: CLIENT,
    subjectToken: overrides.clientSecret === undefined && overrides.tokenSource === undefined ? TOKEN : undefined,
    timeoutMs: 5000,
    ...overrides,
    retry: { jitter: 0, ...overrides.retry },
    clock,
  });
  return { caracal, clock };
}
