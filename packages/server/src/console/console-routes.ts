import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RoutePlugin } from '../http/route-plugin.ts';
import { notFound } from '../http/server-error.ts';
import type { ConsoleAsset, ConsoleAssets } from './console-assets.ts';
import { CONSOLE_HEADERS, IMMUTABLE_CACHE, PAGE_CACHE } from './console-headers.ts';

const AssetParams = Type.Object({ file: Type.String({ maxLength: 200 }) });

/**
 * The operator console as static files (docs/console.md): `/console` → `/console/`, the page, and
 * its hashed assets. Public like any web page: the data behind it needs an operator mandate,
 * which the page sends as a bearer header on every API call.
 */
export const consoleRoutes: RoutePlugin<{ assets: ConsoleAssets }> = async (app, { assets }) => {
  app.get('/console', async (_request, reply) => reply.redirect('/console/', 301));

  app.get('/console/', async (request, reply) => {
    if (assets.index === undefined) throw notFound('the console is not built: run `pnpm run build`');
    return send(request, reply, assets.index, PAGE_CACHE);
  });

  app.get('/console/assets/:file', { schema: { params: AssetParams } }, async (request, reply) => {
    const asset = assets.assets.get(request.params.file);
    if (asset === undefined) throw notFound(`no console asset ${JSON.stringify(request.params.file.slice(0, 80))}`);
    return send(request, reply, asset, IMMUTABLE_CACHE);
  });
};

function send(request: FastifyRequest, reply: FastifyReply, asset: ConsoleAsset, cacheControl: string): FastifyReply {
  void reply.headers(CONSOLE_HEADERS).header('cache-control', cacheControl).header('content-type', asset.contentType);
  if (asset.gzip === undefined) return reply.send(asset.body);
  void reply.header('vary', 'accept-encoding');
  const accepts = String(request.headers['accept-encoding'] ?? '');
  if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}
