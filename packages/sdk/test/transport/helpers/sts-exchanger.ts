import { Caracal } from '../../../src/caracal.ts';
import { SESSION_TOKEN } from './contexts.ts';

/**
 * A real `Caracal` client pointed at the STS stand-in, holding the session mandate the tests
 * watch for. Its own retries are off so the transports' retries are what the tests see.
 */
export function stsExchanger(stsUrl: string): Caracal {
  return new Caracal({ coordinatorUrl: stsUrl, zoneId: 'zone_test', clientId: 'app_orchestrator', subjectToken: SESSION_TOKEN, retry: { retries: 0 } });
}
