import { afterAll, beforeAll } from 'vitest';
import type { Backend } from './backends.ts';
import {
  bootstrapZone,
  buildStsTestApp,
  injectSessionToken,
  insertAgentSession,
  insertDelegationEdge,
  type BootstrapZoneOptions,
  type FixtureApplication,
  type StsTestApp,
  type ZoneFixture,
} from './sts-fixtures.ts';

/** What a test may set on a session row it inserts, beyond the zone, application and time. */
export type SessionExtras = Partial<Parameters<typeof insertAgentSession>[1]>;
/** What a test may set on an edge row it inserts (anything left out takes the default of insertEdge). */
export type EdgeOptions = Partial<Parameters<typeof insertDelegationEdge>[1]>;

/** What an STS suite shares across its tests; read it inside tests and hooks only. */
export interface StsSuite {
  readonly sts: StsTestApp;
  readonly zone: ZoneFixture;
  /** Session mandates of the zone's `orchestrator` and `worker` (with `sessionTokens: true`). */
  readonly orchestratorToken: string;
  readonly workerToken: string;
  /** The zone's `orchestrator` and `worker` applications. */
  readonly orchestrator: FixtureApplication;
  readonly worker: FixtureApplication;
  /** Inserts an agent session of `applicationId` in the zone, spawned now (the suite's clock). */
  insertSession(applicationId: string, extras?: SessionExtras): Promise<string>;
  /**
   * Inserts an active edge orchestrator session → worker session, the worker its receiver, for
   * `tools:read` for an hour; new sessions at both ends unless `options` names them.
   */
  insertEdge(options?: EdgeOptions): Promise<{ source: string; target: string; edgeId: string }>;
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
  const application = (name: string): FixtureApplication => {
    const found = current().zone.applications[name];
    if (found === undefined) throw new Error(`useStsSuite: the zone has no application named ${name}`);
    return found;
  };
  const insertSession = (applicationId: string, extras: SessionExtras = {}): Promise<string> => {
    const { sts, zone } = current();
    return insertAgentSession(sts.context.database, { zoneId: zone.zoneId, applicationId, now: sts.clock.now(), ...extras });
  };
  const insertEdge = async (options: EdgeOptions = {}) => {
    const { sts, zone } = current();
    const source = options.sourceSessionId ?? (await insertSession(application('orchestrator').id));
    const target = options.targetSessionId ?? (await insertSession(application('worker').id));
    const edgeId = await insertDelegationEdge(sts.context.database, {
      zoneId: zone.zoneId,
      sourceSessionId: source,
      targetSessionId: target,
      issuerApplicationId: application('orchestrator').id,
      receiverApplicationId: application('worker').id,
      scopes: ['tools:read'],
      expiresAt: new Date(sts.clock.now() + 3_600_000),
      now: sts.clock.now(),
      ...options,
    });
    return { source, target, edgeId };
  };
  return {
    insertSession,
    insertEdge,
    get orchestrator() {
      return application('orchestrator');
    },
    get worker() {
      return application('worker');
    },
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
