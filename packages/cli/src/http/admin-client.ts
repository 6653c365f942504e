import type { AdminSettings } from '../settings/admin-settings.ts';
import { requestJson } from './request-json.ts';
import { expectObject, type Row } from './response-shape.ts';

/** The STS admin API (bearer CARACAL_ADMIN_TOKEN) behind `zone`, `app`, `resource` and `token`. */
export interface AdminClient {
  createZone(body: Row): Promise<Row>;
  createApplication(zoneId: string, body: Row): Promise<Row>;
  createResource(zoneId: string, body: Row): Promise<Row>;
  mintOperatorToken(zoneId: string, body: Row): Promise<Row>;
}

export function createAdminClient(settings: AdminSettings): AdminClient {
  const post = async (path: string, body: Row, what: string): Promise<Row> =>
    expectObject(await requestJson({ method: 'POST', url: `${settings.url}/admin${path}`, token: settings.adminToken, body }), what);
  const zone = (zoneId: string): string => `/zones/${encodeURIComponent(zoneId)}`;
  return {
    createZone: (body) => post('/zones', body, 'create zone'),
    createApplication: (zoneId, body) => post(`${zone(zoneId)}/applications`, body, 'create application'),
    createResource: (zoneId, body) => post(`${zone(zoneId)}/resources`, body, 'create resource'),
    mintOperatorToken: (zoneId, body) => post(`${zone(zoneId)}/operator-token`, body, 'mint operator token'),
  };
}
