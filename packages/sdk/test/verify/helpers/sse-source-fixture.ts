import { afterEach } from 'vitest';
import { sseRevocationSource, type RevocationSource, type SseRevocationSourceOptions } from '../../../src/verify/index.ts';
import { startSseServer, type SseServer } from './sse-server.ts';
import { ZONE, type TestIssuer } from './test-issuer.ts';
import { useVerifyFixture } from './verify-fixture.ts';

/** What an SSE revocation source test file shares; read it inside tests (it is set before them). */
export interface SseSourceFixture {
  /** Started before the file's tests, closed after them (useVerifyFixture's). */
  readonly issuer: TestIssuer;
  /** The feed the test last started (with `source()` or `startFeed()`); closed after the test. */
  readonly feed: SseServer;
  /** Starts a real port-0 feed for the test. */
  startFeed(): Promise<SseServer>;
  /** A source of ZONE on a new feed; reconnects are fast and without jitter. */
  source(options?: Partial<SseRevocationSourceOptions>): Promise<RevocationSource>;
  /** Closes `source` after the test, unless the test closed it and called `untrack`. */
  track(source: RevocationSource): RevocationSource;
  untrack(source: RevocationSource): void;
}

/** Registers the hooks of an SSE revocation source test file: its test issuer, and per test its feed and sources. */
export function useSseSourceFixture(): SseSourceFixture {
  const verify = useVerifyFixture();
  let feed: SseServer | undefined;
  const sources: RevocationSource[] = [];
  afterEach(async () => {
    for (const source of sources.splice(0)) await source.close();
    await feed?.close();
    feed = undefined;
  });
  const startFeed = async (): Promise<SseServer> => {
    feed = await startSseServer();
    return feed;
  };
  const track = (source: RevocationSource): RevocationSource => {
    sources.push(source);
    return source;
  };
  return {
    get issuer() {
      return verify.issuer;
    },
    get feed() {
      if (feed === undefined) throw new Error('no feed: the test started none');
      return feed;
    },
    startFeed,
    track,
    untrack: (source) => void sources.splice(sources.indexOf(source), 1),
    source: async (options = {}) => {
      const { url } = await startFeed();
      return track(sseRevocationSource({ url, zoneId: ZONE, token: 'session-mandate', reconnect: { minDelayMs: 1, maxDelayMs: 5, jitter: 0 }, ...options }));
    },
  };
}
