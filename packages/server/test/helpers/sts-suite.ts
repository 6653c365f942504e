import { afterAll, beforeAll } from 'vitest';
import type { Backend } from './backends.ts';
import {
  bootstrapZone,
  buildStsTestApp,
  injectSessionToken,
  type BootstrapZoneOptions,
  type StsTestApp,
  type ZoneFixture,
} from './sts-fixtures.ts';

/** What an STS suite shares across its tests; read it inside tests and hooks only. */
export interface StsSuite {
  readonly sts: StsTestApp;
  readonly zone: ZoneFixture;
  /** Session mandates of the zone's `orchestrator` and `worker` (with `sessionTokens: true`). */
  readonly orchestratorToken: string;
  readonly workerToken: string;
}

export interface StsSuiteOptions {
  zone?: BootstrapZoneOptions;
  /** Mint the orchestrator's and worker's session mandates up front. */
  sessionTokens?: boolean;
}

interface State {
  sts: StsTestApp;
  zone: ZoneFixture;
  orchestratorToken: string | undefined;
  workerToken: string | undefined;
}

/**
 * The set-up every STS suite opens with: one app on `backend` and one bootstrapped zone, built
 * before the suite's first test and closed after its last. Call it inside the `describe`.
 */
export function useStsSuite(backend: Backend, options: StsSuiteOptions = {}): StsSuite {
  let state: State | undefined;

  beforeAll(async () => {
    const sts = await buildStsTestApp(backend);
    const zone = await bootstrapZone(sts, options.zone);
    const token = async (name: string) => (options.sessionTokens === true ? injectSessionToken(sts.app, zone.applications[name]!) : undefined);
    state = { sts, zone, orchestratorToken: await token('orchestrator'), workerToken: await token('worker') };
  });
  afterAll(async () => state?.sts.close());

  const current = (): State => {
    if (state === undefined) throw new Error('useStsSuite: read outside a test or hook of its suite');
    return state;
  };
  const minted = (token: string | undefined): string => {
    if (token === undefined) throw new Error('useStsSuite: pass sessionTokens: true to read the session mandates');
    return token;
  };
  return {
    get sts() {
      return current().sts;
    },
    get zone() {
      return current().zone;
    },
    get orchestratorToken() {
      return minted(current().orchestratorToken);
    },
    get workerToken() {
      return minted(current().workerToken);
    },
  };
}
