import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/**
 * The one way routes are declared, server-wide: a group of routes is a Fastify plugin, registered
 * with `app.register(routes, options)`, whose routes take their request and reply types from their
 * TypeBox schemas (`@caracal/protocol`) through the type provider. So a body is typed by the schema
 * that validates it (no hand-written request interfaces, no casts), and a reply must match the
 * response schema of its status, which also strips any field the schema does not list.
 */
export type RoutePlugin<Options extends object = Record<never, never>> = FastifyPluginAsyncTypebox<Options>;
