import {
  Blueprint,
  BlueprintList,
  BlueprintParams,
  BlueprintStatusBody,
  CreateBlueprintBody,
  EmptyBody,
  ListBlueprintsQuery,
  UpdateBlueprintBody,
} from '@caracal/protocol';
import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import type { ServerContext } from '../../server-context.ts';
import { principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY } from '../shared/route-requests.ts';
import { assertBlueprintName } from './blueprint-name.ts';
import {
  createBlueprint,
  deleteBlueprint,
  listZoneBlueprints,
  requireBlueprint,
  setBlueprintStatus,
  updateBlueprint,
  type BlueprintTarget,
} from './blueprint-service.ts';

/** A system prompt may be long; the other Coordinator bodies stay small. */
const BLUEPRINT_BODY_LIMIT = 1024 * 1024;

function targetOf(request: FastifyRequest & { params: BlueprintParams }): BlueprintTarget {
  assertBlueprintName(request.params.name);
  return { principal: principalOf(request), name: request.params.name };
}

/** `?tags=a,b`: the tags a blueprint must all carry. */
function tagsOf(query: ListBlueprintsQuery): string[] {
  return (query.tags ?? '').split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
}

/**
 * `/agents…`: the zone's blueprint registry (docs/blueprints.md). The zone is the mandate's; any
 * application of it reads, an operator mandate writes.
 */
export const blueprintRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.get('/agents', { schema: { querystring: ListBlueprintsQuery, response: { 200: BlueprintList } } }, (request) =>
    listZoneBlueprints(context, principalOf(request), tagsOf(request.query)),
  );

  app.get('/agents/:name', { schema: { params: BlueprintParams, response: { 200: Blueprint } } }, async (request) =>
    (await requireBlueprint(context, targetOf(request))).blueprint,
  );

  app.post(
    '/agents',
    { bodyLimit: BLUEPRINT_BODY_LIMIT, schema: { body: CreateBlueprintBody, response: { 201: Blueprint } } },
    async (request, reply) => reply.status(201).send(await createBlueprint(context, principalOf(request), request.body)),
  );

  app.patch(
    '/agents/:name',
    { bodyLimit: BLUEPRINT_BODY_LIMIT, schema: { params: BlueprintParams, body: UpdateBlueprintBody, response: { 200: Blueprint } } },
    (request) => updateBlueprint(context, targetOf(request), request.body),
  );

  app.patch(
    '/agents/:name/status',
    { schema: { params: BlueprintParams, body: BlueprintStatusBody, response: { 200: Blueprint } } },
    (request) => setBlueprintStatus(context, targetOf(request), request.body.status),
  );

  app.delete('/agents/:name', { ...OPTIONAL_BODY, schema: { params: BlueprintParams, body: EmptyBody } }, async (request, reply) => {
    await deleteBlueprint(context, targetOf(request));
    return reply.status(204).send();
  });
};
