import type {
  CreateApplicationBody,
  CreatedApplication,
  CreateResourceBody,
  CreateZoneBody,
  OperatorTokenBody,
  Resource,
  TokenResponse,
  UncheckedBody,
  Zone,
} from '@caracal/protocol';
import type { AdminSettings } from '../settings/admin-settings.ts';
import { requestJson } from './request-json.ts';
import { expectObject } from './response-shape.ts';

/** The STS admin API (bearer CARACAL_ADMIN_TOKEN) behind `zone`, `app`, `resource` and `token`. */
export interface AdminClient {
  createZone(body: CreateZoneBody): Promise<UncheckedBody<Zone>>;
  createApplication(zoneId: string, body: CreateApplicationBody): Promise<UncheckedBody<CreatedApplication>>;
  createResource(zoneId: string, body: CreateResourceBody): Promise<UncheckedBody<Resource>>;
  mintOperatorToken(zoneId: string, body: OperatorTokenBody): Promise<UncheckedBody<TokenResponse>>;
}

export function createAdminClient(settings: AdminSettings): AdminClient {
  const post = async <Answer>(path: string, body: object, what: string): Promise<UncheckedBody<Answer>> =>
    expectObject<Answer>(await requestJson({ method: 'POST', url: `${settings.url}/admin${path}`, token: settings.adminToken, body }), what);
  const zone = (zoneId: string): string => `/zones/${encodeURIComponent(zoneId)}`;
  return {
    createZone: (body) => post<Zone>('/zones', body, 'create zone'),
    createApplication: (zoneId, body) => post<CreatedApplication>(`${zone(zoneId)}/applications`, body, 'create application'),
    createResource: (zoneId, body) => post<Resource>(`${zone(zoneId)}/resources`, body, 'create resource'),
    mintOperatorToken: (zoneId, body) => post<TokenResponse>(`${zone(zoneId)}/operator-token`, body, 'mint operator token'),
  };
}
