import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server-context.ts';

/** Routes of the events part; filled in by its own change. */
export async function eventsPlugin(_app: FastifyInstance, _options: { context: ServerContext }): Promise<void> {}
