import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { INVALID, ROUTES } from './fuzz-routes.ts';

/** Rows that exist before the fuzz run, so malformed requests can aim at real ids too. */
export interface Fixtures {
  zoneId: string;
  token: string;
  otherZoneToken: string;
  noScopeToken: string;
  strangerToken: string;
  expiredToken: string;
  session: string;
  peer: string;
  edge: string;
  invocation: string;
  service: string;
  /** A pending run of app_fuzz, and a runner of app_fuzz that does not hold it. */
  run: string;
  runner: string;
  /** An operator mandate of the zone (`caracal:admin`). */
  operatorToken: string;
  /** A blueprint of the zone. */
  blueprint: string;
}

/** A small deterministic generator, so a failing corpus can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` requests that every Coordinator route must refuse with a 4xx, reproducible from `seed`. */
export function malformedRequests(fixtures: Fixtures, count: number, seed: number): InjectOptions[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const junk = fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), { numRuns: 400, seed });
  const junkJson = fc.sample(fc.jsonValue({ maxDepth: 3 }), { numRuns: 400, seed: seed + 1 });
  const requests: InjectOptions[] = [];
  while (requests.length < count) {
    const route = pick(ROUTES);
    const id = route.id?.real(fixtures) ?? '';
    const valid = route.body?.(fixtures);
    const base: InjectOptions & { headers: Record<string, string> } = {
      method: route.method,
      url: route.path(fixtures, id),
      headers: { authorization: `Bearer ${route.operator === true ? fixtures.operatorToken : fixtures.token}` },
    };
    // GET requests carry no body (one sent is ignored), so body mutations apply to the others.
    const withBody = (payload: string, contentType = 'application/json'): InjectOptions | undefined =>
      route.method === 'GET' ? undefined : { ...base, headers: { ...base.headers, 'content-type': contentType }, payload };
    const strategies: Array<() => InjectOptions | undefined> = [
      // A missing, broken, expired or foreign bearer, with an otherwise valid request.
      () => {
        const authorization = pick([
          undefined,
          'Bearer',
          'Bearer ',
          'Basic dXNlcjpwYXNz',
          `Bearer ${pick(junk).replace(/[^\x21-\x7e]/g, 'x')}`,
          `Bearer ${fixtures.token.slice(0, -4)}AAAA`,
          `Bearer ${fixtures.expiredToken}`,
          ...(route.zoneFromToken === true ? [] : [`Bearer ${fixtures.otherZoneToken}`]),
          `Bearer ${fixtures.noScopeToken}`,
          ...(route.owned ? [`Bearer ${fixtures.strangerToken}`] : []),
        ]);
        const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
        return valid === undefined
          ? { ...base, headers }
          : { ...base, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(valid) };
      },
      // An id of the wrong shape, or of the right shape that does not exist.
      () => {
        if (route.id === undefined) return undefined;
        const bad = pick([
          encodeURIComponent(pick(junk)),
          '%E0%A4%A',
          `${route.id.prefix}_0000000000aaaaaaaaaaaaaaaa`,
          `${route.id.prefix}_${'z'.repeat(27)}`,
          id.toUpperCase(),
          `${id}x`,
          'x'.repeat(250),
          route.id.prefix === 'agentsess' ? fixtures.edge : fixtures.session,
        ]);
        if (bad === id) return undefined;
        return { ...base, url: route.path(fixtures, bad) };
      },
      // Broken or wrong-shaped JSON, a wrong content type, an oversized body.
      () =>
        pick<InjectOptions | undefined>([
          withBody('{'),
          withBody('{"a":'),
          withBody('[1,2'),
          withBody('nul'),
          withBody('{"a":1}}'),
          withBody(pick(junk)),
          withBody('[]'),
          withBody('1'),
          withBody('"text"'),
          withBody('null'),
          withBody(JSON.stringify(valid ?? {}), 'text/plain'),
          withBody(JSON.stringify({ ...valid, padding: 'x'.repeat(70 * 1024) })),
        ]),
      // Unknown fields.
      () => withBody(JSON.stringify({ ...valid, [pick(['extra', 'nope', '__proto__x', 'constraints2', 'zone'])]: pick(junkJson) })),
      // A known field with a value of the wrong type or out of range.
      () => {
        const fields = Object.entries(route.fields ?? {});
        if (fields.length === 0) return undefined;
        const [field, kind] = pick(fields);
        const nullAccepted = route.nullMeansAbsentExcept !== undefined && !route.nullMeansAbsentExcept.includes(field);
        return withBody(JSON.stringify({ ...valid, [field]: pick(INVALID[kind].filter((value) => !(nullAccepted && value === null))) }));
      },
      // Text Postgres cannot store, and nesting deeper than is stored.
      () => {
        if (valid === undefined || route.fields === undefined || !Object.values(route.fields).includes('object')) return undefined;
        const field = Object.entries(route.fields).find(([, kind]) => kind === 'object')![0];
        let deep: unknown = 'leaf';
        for (let depth = 0; depth < 40; depth += 1) deep = { d: deep };
        let deepList: unknown = [1];
        for (let depth = 0; depth < 20; depth += 1) deepList = [deepList];
        const value = pick([{ text: 'a\u0000b' }, { ['k\u0000']: 1 }, deep, { list: deepList }]);
        const payload = JSON.stringify({ ...valid, [field]: value }).replace('"leaf"', '"\\ud800"');
        return withBody(payload);
      },
      // A list query out of range or unknown.
      () => {
        if (!route.list) return undefined;
        const query = pick([
          'limit=0',
          'limit=501',
          'limit=-1',
          'limit=abc',
          'limit=1.5',
          'limit=',
          'limit=1&limit=2',
          'cursor=%00',
          `cursor=${Buffer.from('not-an-id').toString('base64url')}`,
          'cursor=!!',
          'status=bogus',
          'unknown=1',
          `parent_id=${encodeURIComponent(pick(junk))}x`,
          `application_id=${encodeURIComponent(' x')}`,
        ]);
        return { ...base, url: `${base.url}?${query}` };
      },
      // A dry_run that is neither true nor false, or repeated, or beside an unknown parameter.
      () => {
        if (route.dryRun !== true) return undefined;
        const query = pick(['dry_run=yes', 'dry_run=1', 'dry_run=', 'dry_run=True', 'dry_run=true&dry_run=false', 'dry_run=true&unknown=1', `dry_run=${encodeURIComponent(pick(junk))}`]);
        return { ...base, url: `${base.url}?${query}` };
      },
      // A bad Idempotency-Key on a valid create.
      () => {
        if (!route.create || valid === undefined) return undefined;
        const key = pick(['has space', 'caf\u00e9', 'x'.repeat(300), '\t']);
        return { ...base, headers: { ...base.headers, 'content-type': 'application/json', 'idempotency-key': key }, payload: JSON.stringify(valid) };
      },
      // Well-formed bodies the rules refuse; and any body on an action without fields.
      () => {
        if (route.refusedBodies !== undefined) return withBody(JSON.stringify(pick(route.refusedBodies(fixtures))));
        if (valid === undefined && route.method !== 'GET') return withBody(JSON.stringify({ [pick(['force', 'x', 'cascade'])]: pick(junkJson) }));
        return undefined;
      },
    ];
    const request = pick(strategies)();
    if (request !== undefined) requests.push(request);
  }
  return requests;
}
