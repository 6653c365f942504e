import { Type, type Static } from 'typebox';

/** `GET /health`: the process is up. */
export const Health = Type.Object({ status: Type.Literal('ok') });
export type Health = Static<typeof Health>;

/** `GET /ready`: 200 when the database and the bus answer, 503 otherwise. */
export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  bus: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  bus_kind: Type.String(),
  database_kind: Type.String(),
});
export type Readiness = Static<typeof Readiness>;
