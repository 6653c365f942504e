import type { FastifyInstance, FastifySchema, HTTPMethods } from 'fastify';

/** One route as the app registered it. */
export interface CatalogueEntry {
  method: HTTPMethods | HTTPMethods[];
  url: string;
  schema: FastifySchema | undefined;
}

const catalogues = new WeakMap<FastifyInstance, CatalogueEntry[]>();

/**
 * Starts recording every route registered on `app` and its plugins, with its schemas. Fastify
 * lists routes only as printed text without schemas, and only `onRoute` sees them as they are
 * registered, so this must run before the first route. Tests read it to cover every route (the
 * string fuzz); it costs one small array per app.
 */
export function recordRoutes(app: FastifyInstance): void {
  const entries: CatalogueEntry[] = [];
  catalogues.set(app, entries);
  app.addHook('onRoute', (route) => {
    entries.push({ method: route.method, url: route.url, schema: route.schema });
  });
}

/** The routes `recordRoutes` saw on `app`, in registration order (empty when it was not called). */
export function routeCatalogue(app: FastifyInstance): readonly CatalogueEntry[] {
  return catalogues.get(app) ?? [];
}
