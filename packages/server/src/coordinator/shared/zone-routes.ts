import { DryRunQuery, EmptyBody, ZoneParams } from '@caracal/protocol';
import { Type } from 'typebox';
import type { Static, TObject, TSchema } from 'typebox';
import type { FastifyRequest, FastifySchema } from 'fastify';
import type { Queryable } from '../../db/database.ts';
import { idKeys, listedPage, type PageRequest } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import type { CreateResult } from './idempotency.ts';
import type { CreateRequest } from './idempotent-create.ts';
import { COORDINATOR_BODY_LIMIT } from './request-principal.ts';
import type { ActionTarget } from './access.ts';
import { OPTIONAL_BODY, actionTargetOf, createRequestOf } from './route-requests.ts';

/** The `app` a Coordinator route plugin registers on (schemas type the requests). */
export type ZoneRouteApp = Parameters<RoutePlugin>[0];

/**
 * A route built from generic schemas is typed as plain `FastifySchema` (the TypeBox type provider
 * cannot resolve a generic one), so its handler states once what the schemas let through.
 */
type CreateRouteRequest<Body extends TSchema> = FastifyRequest & { params: ZoneParams; body: Static<Body> };

/** The `/zones/{zoneId}/<collection>` path of a zone's collection, in Fastify's `:param` form. */
const collectionUrl = (collection: string): string => `/zones/:zoneId/${collection}`;

export interface CreateRoute<Body extends TSchema, Created extends TSchema> {
  /** The path segment after the zone: `agents`, `delegations`, … */
  collection: string;
  body: Body;
  created: Created;
  /** Every field is optional, so a bare POST (no body at all) creates with the defaults. */
  optionalBody?: boolean;
  /** The create may replace a live row instead (answered 200 rather than 201). */
  replaces?: boolean;
  create: (request: CreateRequest<Static<Body>>) => Promise<CreateResult<Static<Created>>>;
}

/**
 * Registers `POST /zones/{zoneId}/<collection>`: an idempotent create (its Idempotency-Key is
 * scoped by the route template `POST /zones/{zoneId}/<collection>`), answered 201 with the created
 * resource, or 200 for a create that `replaces` and did.
 */
export function zoneCreateRoute<Body extends TSchema, Created extends TSchema>(
  app: ZoneRouteApp,
  route: CreateRoute<Body, Created>,
): void {
  const template = `POST /zones/{zoneId}/${route.collection}`;
  const response = route.replaces ? { 200: route.created, 201: route.created } : { 201: route.created };
  const schema: FastifySchema = { params: ZoneParams, body: route.body, response };
  app.post(
    collectionUrl(route.collection),
    {
      ...(route.optionalBody ? OPTIONAL_BODY : { bodyLimit: COORDINATOR_BODY_LIMIT }),
      schema,
    },
    async (request, reply) => {
      const result = await route.create(createRequestOf(request as CreateRouteRequest<Body>, template));
      return reply.status(route.replaces && result.statusCode !== 201 ? 200 : 201).send(result.body);
    },
  );
}

/** The page fields every list query has (ListQuery in protocol). */
interface PageFields {
  limit?: string | undefined;
  cursor?: string | undefined;
}

/** A list request as its filters are read from it: the zone in the path, the query's fields. */
export type ListRequest<Query extends TSchema> = FastifyRequest & { params: ZoneParams; query: Static<Query> & PageFields };

export interface ListRoute<Query extends TObject, Page extends TSchema, Row extends { id: string }, Filters> {
  /** The path segment after the zone: `agents`, `delegations`, … */
  collection: string;
  query: Query;
  page: Page;
  /** The pattern of the listed rows' ids (they are listed in id order, the cursor is one). */
  idPattern: string;
  filters: (request: ListRequest<Query>) => Filters;
  list: (database: Queryable, filters: Filters, page: PageRequest) => Promise<Row[]>;
  view: (row: Row) => Static<Page> extends { items: Array<infer Item> } ? Item : never;
}

/**
 * Registers `GET /zones/{zoneId}/<collection>`: one page (`limit`, `cursor`) of the rows
 * `filters` selects, in id order, each shown through `view`.
 */
export function zoneListRoute<Query extends TObject, Page extends TSchema, Row extends { id: string }, Filters>(
  app: ZoneRouteApp,
  context: ServerContext,
  route: ListRoute<Query, Page, Row, Filters>,
): void {
  const schema: FastifySchema = { params: ZoneParams, querystring: route.query, response: { 200: route.page } };
  app.get(
    collectionUrl(route.collection),
    { schema },
    (plainRequest) => {
      const request = plainRequest as ListRequest<Query>; // see CreateRouteRequest
      const filters = route.filters(request);
      return listedPage(request.query, idKeys(route.idPattern), (page) => route.list(context.database, filters, page), route.view);
    },
  );
}

/** A read request: the zone and the record's id in the path. */
export type ReadRequest = FastifyRequest & { params: { zoneId: string; id: string } };

export interface ReadRoute<Params extends TObject, Shown extends TSchema, Row> {
  /** The path segment after the zone: `agents`, `delegations`, … */
  collection: string;
  /** `{ zoneId, id }` with the id's pattern. */
  params: Params;
  record: Shown;
  /** The row the caller may see, or the 404/403 that says why not. */
  read: (request: ReadRequest) => Promise<Row>;
  view: (row: Row) => Static<Shown>;
}

/** Registers `GET /zones/{zoneId}/<collection>/{id}`: one record, shown through `view`. */
export function zoneReadRoute<Params extends TObject, Shown extends TSchema, Row>(app: ZoneRouteApp, route: ReadRoute<Params, Shown, Row>): void {
  const schema: FastifySchema = { params: route.params, response: { 200: route.record } };
  app.get(`${collectionUrl(route.collection)}/:id`, { schema }, async (request) => route.view(await route.read(request as ReadRequest))); // see CreateRouteRequest
}

export interface ActionRoute<Params extends TObject, Answer extends TSchema> {
  /** The path segment after the zone: `agents`, `delegations`, … */
  collection: string;
  /** The segment after the id (`suspend`, `revoke`, …); none for a DELETE of the record itself. */
  action?: string;
  method?: 'POST' | 'DELETE';
  /** `{ zoneId, id }` with the id's pattern. */
  params: Params;
  answer: Answer;
  act: (target: ActionTarget) => Promise<Static<Answer>>;
}

/**
 * Registers an action on one record that takes no body (`POST …/{id}/<action>`, or `DELETE …/{id}`):
 * an absent body and `{}` are the same; anything else is refused.
 */
export function zoneActionRoute<Params extends TObject, Answer extends TSchema>(app: ZoneRouteApp, route: ActionRoute<Params, Answer>): void {
  const schema: FastifySchema = { params: route.params, body: EmptyBody, response: { 200: route.answer } };
  app.route({
    method: route.method ?? 'POST',
    url: `${collectionUrl(route.collection)}/:id${route.action === undefined ? '' : `/${route.action}`}`,
    ...OPTIONAL_BODY,
    schema,
    handler: (request) => route.act(actionTargetOf(request as ReadRequest)), // see CreateRouteRequest
  });
}

export interface DryRunActionRoute<Params extends TObject, Counts, Answer extends TSchema, Impact extends TSchema> extends Omit<ActionRoute<Params, Answer>, 'act'> {
  impact: Impact;
  /** Does the action, or with `dryRun` computes what it would do and changes nothing. */
  act: (target: ActionTarget & { dryRun: boolean }) => Promise<Counts>;
  answerOf: (counts: Counts) => Static<Answer>;
  impactOf: (counts: Counts) => Static<Impact>;
}

/**
 * An action on one record, as `zoneActionRoute`, that also answers `?dry_run=true` with what it
 * would cascade to (docs/decisions/2026-12-05-dry-run-impact.md).
 */
export function zoneDryRunActionRoute<Params extends TObject, Counts, Answer extends TSchema, Impact extends TSchema>(
  app: ZoneRouteApp,
  route: DryRunActionRoute<Params, Counts, Answer, Impact>,
): void {
  const schema: FastifySchema = { params: route.params, querystring: DryRunQuery, body: EmptyBody, response: { 200: Type.Union([route.impact, route.answer]) } };
  app.route({
    method: route.method ?? 'POST',
    url: `${collectionUrl(route.collection)}/:id${route.action === undefined ? '' : `/${route.action}`}`,
    ...OPTIONAL_BODY,
    schema,
    handler: async (request) => {
      const dryRun = (request.query as DryRunQuery).dry_run === 'true';
      const counts = await route.act({ ...actionTargetOf(request as ReadRequest), dryRun }); // see CreateRouteRequest
      return dryRun ? route.impactOf(counts) : route.answerOf(counts);
    },
  });
}
