import { afterEach, describe, expect, it, vi } from 'vitest';
import { isCaracalError } from '../../src/errors.ts';
import {
  createVerifier,
  DEFAULT_FEED_DOWN_AFTER_MS,
  refusalResponse,
  sseRevocationSource,
  type RevocationFeedState,
  type RevocationSource,
  type SseRevocationSourceOptions,
} from '../../src/verify/index.ts';
import { startSseServer } from './helpers/sse-server.ts';
import { useSseSourceFixture } from './helpers/sse-source-fixture.ts';
import { AUDIENCE, ZONE } from './helpers/test-issuer.ts';

const sse = useSseSourceFixture();

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Every state the source reports, in order. */
function states(revocation: RevocationSource): RevocationFeedState[] {
  const seen: RevocationFeedState[] = [];
  revocation.onHealthChange!((health) => seen.push(health.state));
  return seen;
}

/** Resolves when the source's feed reaches `state`. */
function reaches(revocation: RevocationSource, state: RevocationFeedState): Promise<void> {
  if (revocation.health!().state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = revocation.onHealthChange!((health) => {
      if (health.state !== state) return;
      stop();
      resolve();
    });
  });
}

/** A port nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const server = await startSseServer();
  await server.close();
  return server.url;
}

describe('ready()', () => {
  it('rejects at once with UNAUTHORIZED when the feed refuses the token, naming what to fix', async () => {
    const revocation = await sse.source();
    sse.feed.nextStatuses = [401];
    const failure = await revocation.ready().catch((error: unknown) => error);
    expect(isCaracalError(failure) && failure.code).toBe('UNAUTHORIZED');
    expect(failure).toMatchObject({ status: 401, serverCode: 'refused' });
    expect((failure as Error).message).toContain('give a current session mandate of this zone as token or tokenSource');
  });

  it('rejects at once with FORBIDDEN on a 403', async () => {
    const revocation = await sse.source();
    sse.feed.nextStatuses = [403];
    await expect(revocation.ready()).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('keeps retrying after the refusal, asks the tokenSource for a new token, and resolves a later ready() once live', async () => {
    const hints: Array<string | undefined> = [];
    const tokens = ['stale-mandate', 'fresh-mandate'];
    const revocation = await sse.source({ token: undefined, tokenSource: (hint) => (hints.push(hint.refusedToken), tokens.shift() ?? 'fresh-mandate') });
    sse.feed.nextStatuses = [401];
    const seen = states(revocation);
    await expect(revocation.ready()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await reaches(revocation, 'live');
    await expect(revocation.ready()).resolves.toBeUndefined();
    expect(seen).toEqual(['down', 'live']);
    expect(hints.slice(0, 2)).toEqual([undefined, 'stale-mandate']);
    expect(sse.feed.connections[1]?.authorization).toBe('Bearer fresh-mandate');
  });

  it('rejects with NETWORK_ERROR when the Coordinator cannot be reached within downAfterMs', async () => {
    const url = await closedPortUrl();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const errors: unknown[] = [];
    let revocation!: RevocationSource;
    const firstError = new Promise<void>((resolve) => {
      revocation = sse.track(sseRevocationSource({ url, zoneId: ZONE, token: 't', onError: (error) => (errors.push(error), resolve()) }));
    });
    revocation.onHealthChange!(() => undefined);
    let settled: unknown = 'pending';
    revocation.ready().then(
      () => (settled = 'resolved'),
      (error: unknown) => (settled = error),
    );
    await firstError;
    expect(revocation.health!().state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(DEFAULT_FEED_DOWN_AFTER_MS - 1);
    expect(settled).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((settled as Error).message).toContain('could not be reached');
    expect(revocation.health!()).toMatchObject({ state: 'down', lastError: settled });
    expect(errors[0]).toMatchObject({ code: 'NETWORK_ERROR' });
  });
});

describe('a verifier whose revocation feed is down', () => {
  /** A live source, then a feed that drops and refuses to come back until `recover()`. */
  async function outage(options: Partial<SseRevocationSourceOptions> = {}): Promise<{ revocation: RevocationSource; recover: () => void }> {
    const revocation = await sse.source({ downAfterMs: 5000, ...options });
    await revocation.ready();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    sse.feed.nextStatuses = Array<number>(1000).fill(503);
    const reconnecting = reaches(revocation, 'reconnecting');
    sse.feed.dropConnections();
    await reconnecting;
    return {
      revocation,
      recover: () => {
        sse.feed.nextStatuses = [];
      },
    };
  }

  it("fails closed by default: refuses every mandate with REVOCATION_UNAVAILABLE (503), and warns, until the feed is back", async () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const { revocation, recover } = await outage();
    const verifier = createVerifier({ issuer: sse.issuer.issuer, zoneId: ZONE, audience: AUDIENCE, revocation });
    await expect(verifier.verify(await sse.issuer.mint())).resolves.toBeDefined();

    const down = reaches(revocation, 'down');
    await vi.advanceTimersByTimeAsync(5000);
    await down;
    const failure = await verifier.verify(await sse.issuer.mint()).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'REVOCATION_UNAVAILABLE', status: 503 });
    expect(refusalResponse(failure)).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } });
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining(`revocation feed of zone ${ZONE} is down`), { type: 'CaracalWarning', code: 'CARACAL_REVOCATION_FEED_DOWN' });

    recover();
    const live = reaches(revocation, 'live');
    await vi.advanceTimersByTimeAsync(5);
    await live;
    await expect(verifier.verify(await sse.issuer.mint())).resolves.toBeDefined();
    await verifier.close();
  });

  it("with revocationFeedDown: 'warn' keeps accepting, and says so loudly", async () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const { revocation } = await outage();
    const verifier = createVerifier({ issuer: sse.issuer.issuer, zoneId: ZONE, audience: AUDIENCE, revocation, revocationFeedDown: 'warn' });
    const down = reaches(revocation, 'down');
    await vi.advanceTimersByTimeAsync(5000);
    await down;
    await expect(verifier.verify(await sse.issuer.mint())).resolves.toBeDefined();
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(String(warnings.mock.calls[0]![0])).toContain('mandates revoked meanwhile are accepted until they expire');
    await verifier.close();
  });

  it('accepts during a short reconnect (before downAfterMs)', async () => {
    const { revocation } = await outage();
    const verifier = createVerifier({ issuer: sse.issuer.issuer, zoneId: ZONE, audience: AUDIENCE, revocation });
    await vi.advanceTimersByTimeAsync(4999);
    expect(revocation.health!().state).toBe('reconnecting');
    await expect(verifier.verify(await sse.issuer.mint())).resolves.toBeDefined();
    await verifier.close();
  });

  it("refuses a revocationFeedDown that is neither 'fail-closed' nor 'warn'", () => {
    expect(() => createVerifier({ issuer: sse.issuer.issuer, zoneId: ZONE, audience: AUDIENCE, revocationFeedDown: 'ignore' as never })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', setting: 'revocationFeedDown' }),
    );
  });
});
