import { randomBytes } from 'node:crypto';
import {
  ApplicationPage,
  CreateApplicationBody,
  CreatedApplication,
  CreateResourceBody,
  CreateZoneBody,
  ErrorBody,
  KeyRotation,
  NAME_PATTERN,
  OPERATOR_TOKEN_SECONDS_DEFAULT,
  OperatorTokenBody,
  PageQuery,
  RESOURCE_PATTERN,
  Resource,
  ResourcePage,
  RotateKeysBody,
  TokenResponse,
  Zone,
  ZonePage,
  ZoneParams,
} from '@caracal/protocol';
import type { FastifyRequest, FastifySchema } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import { treatMissingBodyAsEmpty } from '../../http/optional-body.ts';
import type { Queryable } from '../../db/database.ts';
import { byId, pageRequest, toPage, type PageRequest } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import { badRequest, conflict, notFound } from '../../http/server-error.ts';
import { applicationView, insertApplication, listApplications } from '../identity/application-repository.ts';
import { listResources, resourceView, upsertResource } from '../identity/resource-repository.ts';
import { insertZone, listZones, zoneExists, zoneView } from '../identity/zone-repository.ts';
import { issueOperatorMandate } from '../mandates/operator-mandate.ts';
import { generateSecret, hashSecret } from '../secrets/secret-hash.ts';
import type { StsRuntime } from '../sts-runtime.ts';
import { checkAdminToken } from './admin-guard.ts';

const ListQuery = Type.Object(PageQuery);
const byIdentifier = (row: { identifier: string }): string => row.identifier;
const errors = { '4xx': ErrorBody };

type ZoneList<Row> = (queryable: Queryable, zoneId: string, page: PageRequest) => Promise<Row[]>;

/** The admin API (bearer CARACAL_ADMIN_TOKEN): zones, applications, resources, keys, operator tokens. */
export const adminRoutes: RoutePlugin<{ runtime: StsRuntime }> = async (app, { runtime }) => {
  const { database, config } = runtime.context;
  app.addHook('onRequest', async (request) => checkAdminToken(request, config));
  // Bodies are optional on the POST routes; an absent one means "all defaults".
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST') await treatMissingBodyAsEmpty(request);
  });

  const requireZone = async (zoneId: string): Promise<void> => {
    if (!(await zoneExists(database, zoneId))) throw notFound(`zone ${zoneId} does not exist`);
  };

  /**
   * `GET /admin/zones/{zoneId}/{collection}`: one page of a zone's applications or resources, once
   * the zone is known. Typed as plain `FastifySchema`: the type provider cannot resolve a generic
   * page schema, so the handler states what the schemas let through.
   */
  const listInZone = <Row, Item>(
    collection: 'applications' | 'resources',
    pageSchema: TSchema,
    keyPattern: string,
    list: ZoneList<Row>,
    view: (row: Row) => Item,
    keyOf: (row: Row) => string,
  ): void => {
    const schema: FastifySchema = { params: ZoneParams, querystring: ListQuery, response: { 200: pageSchema, ...errors } };
    app.get(`/admin/zones/:zoneId/${collection}`, { schema }, async (plainRequest) => {
      const request = plainRequest as FastifyRequest & { params: ZoneParams; query: Static<typeof ListQuery> };
      const page = pageRequest(request.query, keyPattern);
      await requireZone(request.params.zoneId);
      return toPage(await list(database, request.params.zoneId, page), page.limit, view, keyOf);
    });
  };

  app.post('/admin/zones', { schema: { body: CreateZoneBody, response: { 201: Zone, ...errors } } }, async (request, reply) => {
    const id = request.body.id ?? `zone_${randomBytes(8).toString('hex')}`;
    const zone = await insertZone(database, { id, name: request.body.name ?? id, createdAt: new Date(runtime.context.now()) });
    if (zone === undefined) throw conflict(`zone ${id} already exists`);
    return reply.status(201).send(zone);
  });

  app.get('/admin/zones', { schema: { querystring: ListQuery, response: { 200: ZonePage, ...errors } } }, async (request) => {
    const page = pageRequest(request.query, NAME_PATTERN);
    return toPage(await listZones(database, page), page.limit, zoneView, byId);
  });

  app.post(
    '/admin/zones/:zoneId/applications',
    { schema: { params: ZoneParams, body: CreateApplicationBody, response: { 201: CreatedApplication, ...errors } } },
    async (request, reply) => {
      const { zoneId } = request.params;
      const { body } = request;
      await requireZone(zoneId);
      const id = body.id ?? `app_${randomBytes(8).toString('hex')}`;
      const clientSecret = generateSecret();
      const application = await insertApplication(database, {
        id,
        zoneId,
        name: body.name ?? id,
        scopes: body.scopes ?? [],
        admin: body.admin ?? false,
        secretHash: await hashSecret(clientSecret),
        now: new Date(runtime.context.now()),
      });
      if (application === undefined) throw conflict(`application ${id} already exists`);
      // The secret is shown this once; only its scrypt hash is stored.
      return reply.status(201).header('cache-control', 'no-store').send({ ...application, client_secret: clientSecret });
    },
  );

  listInZone('applications', ApplicationPage, NAME_PATTERN, listApplications, applicationView, byId);

  app.post(
    '/admin/zones/:zoneId/resources',
    { schema: { params: ZoneParams, body: CreateResourceBody, response: { 200: Resource, 201: Resource, ...errors } } },
    async (request, reply) => {
      const { zoneId } = request.params;
      const { body } = request;
      const identifier = body.identifier ?? body.id;
      if (identifier === undefined || (body.identifier !== undefined && body.id !== undefined)) {
        throw badRequest('give the resource identifier once, as identifier (or id)');
      }
      await requireZone(zoneId);
      const { resource, created } = await upsertResource(database, {
        zoneId,
        identifier,
        scopes: body.scopes,
        now: new Date(runtime.context.now()),
      });
      return reply.status(created ? 201 : 200).send(resource);
    },
  );

  listInZone('resources', ResourcePage, RESOURCE_PATTERN, listResources, resourceView, byIdentifier);

  app.post(
    '/admin/zones/:zoneId/keys/rotate',
    { schema: { params: ZoneParams, body: RotateKeysBody, response: { 200: KeyRotation, ...errors } } },
    async (request) => {
      const { zoneId } = request.params;
      // Default grace: a session mandate signed just before the rotation lives out its life.
      const graceSeconds = request.body.grace_seconds ?? config.sessionMandateSeconds;
      const rotation = await runtime.keyStore.rotate(zoneId, { now: runtime.context.now(), graceSeconds });
      if (rotation === undefined) throw notFound(`zone ${zoneId} does not exist`);
      return {
        zone_id: zoneId,
        kid: rotation.kid,
        retired_kid: rotation.retiredKid ?? null,
        retired_not_after: rotation.retiredKid === undefined ? null : new Date(rotation.retiredNotAfter).toISOString(),
      };
    },
  );

  app.post(
    '/admin/zones/:zoneId/operator-token',
    { schema: { params: ZoneParams, body: OperatorTokenBody, response: { 200: TokenResponse, ...errors } } },
    async (request, reply) => {
      const ttlSeconds = request.body.ttl_seconds ?? OPERATOR_TOKEN_SECONDS_DEFAULT;
      const token = await issueOperatorMandate(runtime, request.params.zoneId, ttlSeconds);
      return reply.header('cache-control', 'no-store').send(token);
    },
  );
};
