import type {
  CreateApplicationBody,
  CreatedApplication,
  CreateResourceBody,
  CreateZoneBody,
  OperatorTokenBody,
  Application,
  Resource,
  TokenResponse,
  UncheckedBody,
  Zone,
} from '@caracal/protocol';
import type { AdminSettings } from '../settings/admin-settings.ts';
import { requestJson } from './request-json.ts';
import { collectPages, PAGE_LIMIT } from './collect-pages.ts';
import { expectObject, expectPage } from './response-shape.ts';

/** The STS admin API (bearer CARACAL_ADMIN_TOKEN) behind `zone`, `app`, `resource`, `token` and `console`. */
export interface AdminClient {
  createZone(body: CreateZoneBody): Promise<UncheckedBody<Zone>>;
  createApplication(zoneId: string, body: CreateApplicationBody): Promise<UncheckedBody<CreatedApplication>>;
  createResource(zoneId: string, body: CreateResourceBody): Promise<UncheckedBody<Resource>>;
  mintOperatorToken(zoneId: string, body: OperatorTokenBody): Promise<UncheckedBody<TokenResponse>>;
  listZones(): Promise<Array<UncheckedBody<Zone>>>;
  listApplications(zoneId: string): Promise<Array<UncheckedBody<Application>>>;
  listResources(zoneId: string): Promise<Array<UncheckedBody<Resource>>>;
}

export function createAdminClient(settings: AdminSettings): AdminClient {
  const post = async <Answer>(path: string, body: object, what: string): Promise<UncheckedBody<Answer>> =>
    expectObject<Answer>(await requestJson({ method: 'POST', url: `${settings.url}/admin${path}`, token: settings.adminToken, body }), what);
  const zone = (zoneId: string): string => `/zones/${encodeURIComponent(zoneId)}`;
  const list = <Item>(path: string, what: string): Promise<Array<UncheckedBody<Item>>> =>
    collectPages(async (cursor) => {
      const search = new URLSearchParams({ limit: String(PAGE_LIMIT), ...(cursor === undefined ? {} : { cursor }) });
      return expectPage<Item>(await requestJson({ method: 'GET', url: `${settings.url}/admin${path}?${search.toString()}`, token: settings.adminToken }), what);
    }, what);
  return {
    createZone: (body) => post<Zone>('/zones', body, 'create zone'),
    createApplication: (zoneId, body) => post<CreatedApplication>(`${zone(zoneId)}/applications`, body, 'create application'),
    createResource: (zoneId, body) => post<Resource>(`${zone(zoneId)}/resources`, body, 'create resource'),
    mintOperatorToken: (zoneId, body) => post<TokenResponse>(`${zone(zoneId)}/operator-token`, body, 'mint operator token'),
    listZones: () => list<Zone>('/zones', 'list zones'),
    listApplications: (zoneId) => list<Application>(`${zone(zoneId)}/applications`, 'list applications'),
    listResources: (zoneId) => list<Resource>(`${zone(zoneId)}/resources`, 'list resources'),
  };
}
