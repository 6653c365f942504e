import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { routeCatalogue, type CatalogueEntry } from '../../src/http/route-catalogue.ts';
import { testBackends } from '../helpers/backends.ts';
import { propertyRuns } from '../helpers/property-runs.ts';
import { buildStsTestApp, type StsTestApp } from '../helpers/sts-fixtures.ts';
import { BASE_REQUESTS, buildFuzzFixtures, FORM_ROUTES, type BaseRequest, type FuzzFixtures } from './string-fuzz/base-requests.ts';
import { registeredRoutes } from './string-fuzz/printed-routes.ts';
import { headerValue, percentEncode, slotName, stringAt, stringPaths, withStringAt, type StringSlot } from './string-fuzz/string-slots.ts';

// PGlite start and the fixtures' scrypt are slow on a loaded machine; nothing waits on wall time.
vi.setConfig({ testTimeout: 300_000 });

/** Limits out of the way (seats are rows, so not unbounded): every spawn must reach the code that stores its fields. */
const ROOMY = { maxDepth: 10, maxChildren: 4_000, maxActivePerZoneApplication: 4_000, maxActivePerApplication: 4_000 };

interface FuzzRoute {
  key: string;
  method: string;
  url: string;
  slots: StringSlot[];
  /** Form-encoded body (the token endpoint), else JSON. */
  form: boolean;
}

/** The string slots of a route: its schemas' fields, its path parameters, and a bearer token. */
function slotsOf(route: CatalogueEntry, form: boolean): StringSlot[] {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const slots: StringSlot[] = [];
  const paramsPaths = stringPaths(schema.params);
  const urlParams = [...route.url.matchAll(/:(\w+)/g)].map((match) => [match[1]!]);
  // A wildcard route (CORS preflight: `OPTIONS *`) takes the rest of the path as its `*` parameter.
  if (route.url.endsWith('*')) urlParams.push(['*']);
  for (const path of paramsPaths.length > 0 ? paramsPaths : urlParams) slots.push({ part: 'params', path });
  // A route without a query schema still parses a query: an unknown parameter is fuzzed there.
  const queryPaths = schema.querystring === undefined ? [['fuzz']] : stringPaths(schema.querystring);
  for (const path of queryPaths) slots.push({ part: 'query', path });
  for (const path of stringPaths(schema.headers)) slots.push({ part: 'headers', path });
  // Forms are flat: only top-level fields.
  for (const path of stringPaths(schema.body)) if (!form || path.length === 1) slots.push({ part: 'body', path });
  slots.push({ part: 'headers', path: ['authorization'] });
  if (form) slots.push({ part: 'headers', path: ['authorization:basic'] });
  return slots;
}

interface Tally {
  requests: number;
  serverErrors: number;
  statuses: Map<number, number>;
  failures: string[];
}

describe.each(testBackends())('string fields of every route on $name', (backend) => {
  let sts: StsTestApp;
  let fixtures: FuzzFixtures;
  let routes: FuzzRoute[];
  let addresses = 0;
  const tally: Tally = { requests: 0, serverErrors: 0, statuses: new Map(), failures: [] };

  beforeAll(async () => {
    sts = await buildStsTestApp(backend, { limits: ROOMY });
    const seen = new Map<string, CatalogueEntry>();
    for (const route of routeCatalogue(sts.app)) {
      for (const method of [route.method].flat()) if (method !== 'HEAD') seen.set(`${method} ${route.url}`, route);
    }
    routes = [...seen].map(([key, route]) => {
      const form = FORM_ROUTES.has(key);
      return { key, method: key.split(' ')[0]!, url: route.url, slots: slotsOf(route, form), form };
    });
    fixtures = await buildFuzzFixtures(sts);
  });
  afterAll(async () => {
    await sts?.close();
    const statuses = Object.fromEntries([...tally.statuses].sort(([a], [b]) => a - b));
    console.log(`string fuzz on ${backend.name}: ${tally.requests} requests, ${tally.serverErrors} answered 5xx; statuses ${JSON.stringify(statuses)}`);
  });

  /** Sends `base` with `text` in `slot` (or unchanged), counts the answer, and returns its status. */
  async function send(route: FuzzRoute, base: BaseRequest, slot?: StringSlot, text?: (baseValue: string | undefined) => string): Promise<number> {
    const request = structuredClone(base);
    let basic: string | undefined;
    if (slot !== undefined && text !== undefined) {
      if (slot.part === 'headers' && slot.path[0] === 'authorization:basic') {
        const value = text(undefined);
        basic = `Basic ${Buffer.from(`${value}:${value}`).toString('base64')}`;
      } else if (slot.part === 'headers' && slot.path[0] === 'authorization') {
        request.headers = { ...request.headers, authorization: `Bearer ${headerValue(text(request.headers?.authorization?.slice(7)))}` };
      } else if (slot.part === 'headers') {
        request.headers = { ...request.headers, [slot.path[0] as string]: headerValue(text(stringAt(request.headers, slot.path))) };
      } else if (slot.part === 'body' && route.form) {
        request.form = withStringAt(request.form, slot.path, text(stringAt(request.form, slot.path))) as Record<string, string>;
      } else {
        const key = slot.part === 'params' ? 'params' : slot.part === 'query' ? 'query' : 'body';
        const target = request[key];
        (request as Record<string, unknown>)[key] = withStringAt(target, slot.path, text(stringAt(target, slot.path)));
      }
    }
    const filled = route.url
      .replace(/:(\w+)/g, (_, name: string) => percentEncode(request.params?.[name] ?? 'x'))
      .replace(/\*$/, () => percentEncode(request.params?.['*'] ?? 'x'));
    const path = filled.startsWith('/') ? filled : `/${filled}`;
    const query = Object.entries(request.query ?? {})
      .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
      .join('&');
    const headers: Record<string, string> = { ...request.headers, ...(basic === undefined ? {} : { authorization: basic }) };
    let payload: string | undefined;
    if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = Object.entries(request.form)
        .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
        .join('&');
    } else if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(request.body);
    }
    addresses += 1;
    const abort = new AbortController();
    const response = await sts.app.inject({
      method: route.method as 'GET',
      url: query === '' ? path : `${path}?${query}`,
      headers,
      ...(payload === undefined ? {} : { payload }),
      remoteAddress: `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`,
      payloadAsStream: true,
      signal: abort.signal,
    });
    let body = '';
    if (String(response.headers['content-type']).startsWith('text/event-stream')) {
      // A live feed never ends by itself: its status is the answer.
      abort.abort();
    } else {
      for await (const chunk of response.stream()) body += String(chunk);
    }
    tally.requests += 1;
    tally.statuses.set(response.statusCode, (tally.statuses.get(response.statusCode) ?? 0) + 1);
    if (response.statusCode >= 500) {
      tally.serverErrors += 1;
      if (tally.failures.length < 20) tally.failures.push(`${route.key} ${slot === undefined ? '(base)' : slotName(slot)} → ${response.statusCode} ${body.slice(0, 160)}`);
    }
    return response.statusCode;
  }

  it('fuzzes every route the app registers (enumerated from the app, checked against its printed routes)', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(new Set(routes.map((route) => route.key))).toEqual(registeredRoutes(sts.app));
    expect(routes.map((route) => route.key).filter((key) => BASE_REQUESTS[key] === undefined)).toEqual([]);
    expect(Object.keys(BASE_REQUESTS).filter((key) => !routes.some((route) => route.key === key))).toEqual([]);
  });

  it('accepts every base request, so the fuzzed strings reach the code behind the checks', async () => {
    const refused: string[] = [];
    for (const route of routes) {
      for (const base of BASE_REQUESTS[route.key]!) {
        const status = await send(route, await base(fixtures));
        // A plain GET of the WebSocket route is answered 404 once its checks have passed (no upgrade).
        if (status >= 400 && !(route.key === 'GET /ws' && status === 404)) refused.push(`${route.key} → ${status}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('answers NUL and lone surrogates in every string field of every route without a 5xx', async () => {
    const values: Array<(baseValue: string | undefined) => string> = [
      () => '\u0000',
      (baseValue) => splice(baseValue ?? 'text', 1, '\u0000'),
      () => '\ud800',
      (baseValue) => splice(baseValue ?? 'text', 2, '\udc00'),
    ];
    for (const route of routes) {
      for (const base of BASE_REQUESTS[route.key]!) {
        for (const slot of route.slots) for (const value of values) await send(route, await base(fixtures), slot, value);
      }
    }
    expect(tally.failures).toEqual([]);
  });

  it('answers arbitrary Unicode strings in any string field of any route without a 5xx', async () => {
    const unit = fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 1, arbitrary: fc.constant('\u0000') },
      { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)) },
      { weight: 1, arbitrary: fc.constantFrom('\uffff', '\ufeff', '\u{10ffff}', '%', '%00', '\\', '"', '&', '=', '?', '\n', '\u2028', ' ') },
    );
    const input = fc.record({
      route: fc.constantFrom(...routes),
      base: fc.nat(),
      slot: fc.nat(),
      text: fc.string({ unit, maxLength: 40 }),
      at: fc.nat(),
      splice: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(input, async (drawn) => {
        const bases = BASE_REQUESTS[drawn.route.key]!;
        const base = await bases[drawn.base % bases.length]!(fixtures);
        const slot = drawn.route.slots[drawn.slot % drawn.route.slots.length]!;
        const status = await send(drawn.route, base, slot, (baseValue) =>
          drawn.splice && baseValue !== undefined ? splice(baseValue, drawn.at % (baseValue.length + 1), drawn.text) : drawn.text,
        );
        return status < 500;
      }),
      { numRuns: propertyRuns({ ci: 300, full: 20_000 }) },
    );
    expect(tally.failures).toEqual([]);
  });
});

function splice(text: string, at: number, inserted: string): string {
  return `${text.slice(0, at)}${inserted}${text.slice(at)}`;
}
