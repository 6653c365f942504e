import { afterAll, afterEach, beforeAll } from 'vitest';
import { createVerifier, type Verifier, type VerifierOptions } from '../../../src/verify/index.ts';
import type { Listening } from './listen.ts';
import { AUDIENCE, startTestIssuer, ZONE, type TestIssuer } from './test-issuer.ts';

/** What a receiver-side test file shares; read its fields inside tests (they are set before them). */
export interface VerifyFixture {
  /** Started before the file's tests, closed after them. */
  readonly issuer: TestIssuer;
  /** A verifier of `issuer` for ZONE and AUDIENCE, when the file asked for one; closed after the tests. */
  readonly verifier: Verifier;
  /** The server a test serves on; closed (and cleared) after each test. */
  server: Listening | undefined;
}

/** Registers the hooks of a receiver-side test file: its test issuer, its verifier and the per-test server. */
export function useVerifyFixture(verifierOptions?: Omit<VerifierOptions, 'issuer' | 'zoneId' | 'audience'>): VerifyFixture {
  let issuer: TestIssuer | undefined;
  let verifier: Verifier | undefined;
  const fixture: VerifyFixture = {
    get issuer() {
      if (issuer === undefined) throw new Error('the test issuer starts before the tests');
      return issuer;
    },
    get verifier() {
      if (verifier === undefined) throw new Error('this file asked for no verifier');
      return verifier;
    },
    server: undefined,
  };
  beforeAll(async () => {
    issuer = await startTestIssuer();
    if (verifierOptions !== undefined) {
      verifier = createVerifier({ issuer: issuer.issuer, zoneId: ZONE, audience: AUDIENCE, ...verifierOptions });
    }
  });
  afterEach(async () => {
    await fixture.server?.close();
    fixture.server = undefined;
  });
  afterAll(async () => {
    await verifier?.close();
    await issuer?.close();
  });
  return fixture;
}
