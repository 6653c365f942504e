import { describe, expect, it, vi } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { bootstrapZone, type FixtureApplication } from '../helpers/sts-fixtures.ts';
import { useStsSuite } from '../helpers/sts-suite.ts';

// scrypt and PGlite are slow on a loaded machine; nothing here waits on wall time (the clock is the app's test clock).
vi.setConfig({ testTimeout: 300_000 });

/**
 * The guessing limits of client authentication (docs/sts.md, "Guessing limits"): a parallel burst
 * cannot check more secrets than the allowance, and failures sent by a stranger never stop an
 * application from getting its session mandate from the address it uses.
 */
// The limits live in memory, in front of one lookup by id: the backend does not change them, and
// each case is scrypt-bound, so they run on the embedded backend only.
describe.each(testBackends().slice(0, 1))('client secret guessing on $name', (backend) => {
  const suite = useStsSuite(backend, { zone: { applications: { orchestrator: { scopes: ['tools:call'] } } } });

  const newVictim = async (): Promise<FixtureApplication> =>
    (await bootstrapZone(suite.sts, { applications: { victim: { scopes: [] } }, resources: {} })).applications.victim!;

  const authenticate = async (clientId: string, secret: string, remoteAddress: string): Promise<number> => {
    const response = await suite.sts.app.inject({
      method: 'POST',
      url: '/oauth/2/token',
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString(),
    });
    if (response.statusCode === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    return response.statusCode;
  };
  const tally = (statuses: number[]) => Object.fromEntries([...new Set(statuses)].sort().map((status) => [status, statuses.filter((each) => each === status).length]));

  it('checks at most 10 secrets of a parallel burst from one address; the right secret sent last in it is refused too', async () => {
    const victim = await newVictim();
    const burst = [...Array.from({ length: 119 }, (_, index) => `guess-${index}`), victim.secret];
    const statuses = await Promise.all(burst.map((secret) => authenticate(victim.id, secret, '203.0.113.10')));
    expect(tally(statuses)).toEqual({ 401: 10, 429: 110 });
    expect(statuses.at(-1)).toBe(429);
    // The limit is the address's, across client ids.
    expect(await authenticate(suite.zone.applications.orchestrator!.id, 'wrong', '203.0.113.10')).toBe(429);
  });

  it('checks at most 30 secrets of a parallel burst spread over many addresses', async () => {
    const victim = await newVictim();
    const burst = Array.from({ length: 120 }, (_, index) => authenticate(victim.id, `guess-${index}`, `198.18.${index >> 8}.${index & 255}`));
    expect(tally(await Promise.all(burst))).toEqual({ 401: 30, 429: 90 });
  });

  it('lets the right secret through from another address after a stranger failed 10 times', async () => {
    const victim = await newVictim();
    for (let attempt = 0; attempt < 10; attempt += 1) expect(await authenticate(victim.id, `guess-${attempt}`, '203.0.113.20')).toBe(401);
    expect(await authenticate(victim.id, victim.secret, '203.0.113.20')).toBe(429);
    expect(await authenticate(victim.id, victim.secret, '192.0.2.20')).toBe(200);
  });

  it('keeps an application refreshing from its address while strangers keep every other allowance empty', async () => {
    const victim = await newVictim();
    const home = '192.0.2.30';
    expect(await authenticate(victim.id, victim.secret, home)).toBe(200);
    let strangers = 0;
    const stranger = () => `198.19.${(strangers >> 8) & 255}.${strangers++ & 255}`;
    // Past the 60 s verification cache, so each refresh below runs scrypt and goes through the throttle.
    suite.sts.clock.advance(61_000);
    const failures = [];
    for (let attempt = 0; attempt < 31; attempt += 1) failures.push(await authenticate(victim.id, `guess-${attempt}`, stranger()));
    expect(tally(failures)).toEqual({ 401: 30, 429: 1 });
    // The client's allowance is spent: a right secret from an address never used before waits…
    expect(await authenticate(victim.id, victim.secret, '192.0.2.31')).toBe(429);
    // …but the application's own address is not blocked: for 2 minutes, a stranger guesses every 6 s and the application refreshes every minute.
    for (let minute = 0; minute < 2; minute += 1) {
      for (let tick = 0; tick < 10; tick += 1) {
        suite.sts.clock.advance(6_000);
        expect([401, 429]).toContain(await authenticate(victim.id, `guess-${minute}-${tick}`, stranger()));
      }
      expect(await authenticate(victim.id, victim.secret, home)).toBe(200);
    }
  });

  it('gives a proven address its own allowance: its failures are limited too, and a success gives its reservation back', async () => {
    const victim = await newVictim();
    const home = '192.0.2.40';
    expect(await authenticate(victim.id, victim.secret, home)).toBe(200);
    suite.sts.clock.advance(61_000);
    // Nine failures and a success: the success gives its reservation back, so one more failure is checked before the limit.
    for (let attempt = 0; attempt < 9; attempt += 1) expect(await authenticate(victim.id, `guess-${attempt}`, home)).toBe(401);
    expect(await authenticate(victim.id, victim.secret, home)).toBe(200);
    expect(await authenticate(victim.id, 'guess-9', home)).toBe(401);
    expect(await authenticate(victim.id, 'guess-10', home)).toBe(429);
    // A full minute later the allowance is back.
    suite.sts.clock.advance(60_000);
    expect(await authenticate(victim.id, 'guess-11', home)).toBe(401);
  });
});
