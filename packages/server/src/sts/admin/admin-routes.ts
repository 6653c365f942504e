import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, conflict, notFound } from '../../http/server-error.ts';
import { insertApplication, listApplications } from '../identity/application-repository.ts';
import { listResources, upsertResource } from '../identity/resource-repository.ts';
import { insertZone, listZones, zoneExists } from '../identity/zone-repository.ts';
import { issueOperatorMandate } from '../mandates/operator-mandate.ts';
import { generateSecret, hashSecret } from '../secrets/secret-hash.ts';
import type { StsRuntime } from '../sts-runtime.ts';
import { checkAdminToken } from './admin-guard.ts';
import {
  CREATE_APPLICATION_SCHEMA,
  CREATE_RESOURCE_SCHEMA,
  CREATE_ZONE_SCHEMA,
  OPERATOR_TOKEN_SCHEMA,
  ROTATE_KEYS_SCHEMA,
  ZONE_PARAMS_SCHEMA,
  readPage,
} from './admin-schemas.ts';

type ZoneRequest = FastifyRequest<{ Params: { zoneId: string } }>;

/** The admin API (bearer CARACAL_ADMIN_TOKEN): zones, applications, resources, keys, operator tokens. */
export async function adminRoutes(app: FastifyInstance, options: { runtime: StsRuntime }): Promise<void> {
  const { runtime } = options;
  const { database, config } = runtime.context;
  app.addHook('onRequest', async (request) => checkAdminToken(request, config));
  // Bodies are optional on several routes; an absent one means "all defaults".
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && request.body === undefined) request.body = {};
  });

  const requireZone = async (zoneId: string): Promise<void> => {
    if (!(await zoneExists(database, zoneId))) throw notFound(`zone ${zoneId} does not exist`);
  };

  app.post('/admin/zones', { schema: { body: CREATE_ZONE_SCHEMA } }, async (request, reply) => {
    const body = request.body as { id?: string; name?: string };
    const id = body.id ?? `zone_${randomBytes(8).toString('hex')}`;
    const zone = await insertZone(database, { id, name: body.name ?? id, createdAt: new Date(runtime.context.now()) });
    if (zone === undefined) throw conflict(`zone ${id} already exists`);
    return reply.status(201).send(zone);
  });

  app.get('/admin/zones', async (request) => listZones(database, readPage(request.query)));

  app.post(
    '/admin/zones/:zoneId/applications',
    { schema: { params: ZONE_PARAMS_SCHEMA, body: CREATE_APPLICATION_SCHEMA } },
    async (request: ZoneRequest, reply) => {
      const { zoneId } = request.params;
      const body = request.body as { id?: string; name?: string; scopes?: string[]; admin?: boolean };
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

  app.get('/admin/zones/:zoneId/applications', { schema: { params: ZONE_PARAMS_SCHEMA } }, async (request: ZoneRequest) => {
    await requireZone(request.params.zoneId);
    return listApplications(database, request.params.zoneId, readPage(request.query));
  });

  app.post(
    '/admin/zones/:zoneId/resources',
    { schema: { params: ZONE_PARAMS_SCHEMA, body: CREATE_RESOURCE_SCHEMA } },
    async (request: ZoneRequest, reply) => {
      const { zoneId } = request.params;
      const body = request.body as { identifier?: string; id?: string; scopes: string[] };
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

  app.get('/admin/zones/:zoneId/resources', { schema: { params: ZONE_PARAMS_SCHEMA } }, async (request: ZoneRequest) => {
    await requireZone(request.params.zoneId);
    return listResources(database, request.params.zoneId, readPage(request.query));
  });

  app.post(
    '/admin/zones/:zoneId/keys/rotate',
    { schema: { params: ZONE_PARAMS_SCHEMA, body: ROTATE_KEYS_SCHEMA } },
    async (request: ZoneRequest) => {
      const { zoneId } = request.params;
      // Default grace: a session mandate signed just before the rotation lives out its life.
      const graceSeconds = (request.body as { grace_seconds?: number }).grace_seconds ?? config.sessionMandateSeconds;
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
    { schema: { params: ZONE_PARAMS_SCHEMA, body: OPERATOR_TOKEN_SCHEMA } },
    async (request: ZoneRequest, reply) => {
      const ttlSeconds = (request.body as { ttl_seconds?: number }).ttl_seconds ?? 3600;
      const token = await issueOperatorMandate(runtime, request.params.zoneId, ttlSeconds);
      return reply.header('cache-control', 'no-store').send(token);
    },
  );
}

