import type { FastifyInstance } from 'fastify';

/**
 * `METHOD url` of every route `app.printRoutes()` shows (HEAD left out: Fastify adds it to each
 * GET). A second, independent reading of the running app's routes, so the fuzz's own list of
 * them cannot silently miss one.
 */
export function registeredRoutes(app: FastifyInstance): Set<string> {
  const routes = new Set<string>();
  // The path of the nearest line at each depth; a line's path is its parent's plus its segment.
  const pathAtDepth: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) continue;
    const depth = match[1]!.length / 4;
    const path = `${depth === 0 ? '' : pathAtDepth[depth - 1]!}${match[2]!}`;
    pathAtDepth[depth] = path;
    pathAtDepth.length = depth + 1;
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.add(`${method} ${path}`);
  }
  return routes;
}
