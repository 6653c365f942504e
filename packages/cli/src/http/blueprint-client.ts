import type { Blueprint, BlueprintStatus, CreateBlueprintBody, UncheckedBody } from '@caracal/protocol';
import type { BlueprintListing } from '@caracal/sdk/admin';
import type { CoordinatorSettings } from '../settings/coordinator-settings.ts';
import { adminCall, adminClientFor } from './admin-calls.ts';

/** The blueprint routes (`/agents…`), through `@caracal/sdk/admin`; they act in the token's zone. */
export interface BlueprintClient {
  list(tags: readonly string[]): Promise<BlueprintListing>;
  get(name: string): Promise<UncheckedBody<Blueprint>>;
  create(body: CreateBlueprintBody): Promise<UncheckedBody<Blueprint>>;
  setStatus(name: string, status: BlueprintStatus): Promise<UncheckedBody<Blueprint>>;
  remove(name: string): Promise<void>;
}

export function createBlueprintClient(settings: Pick<CoordinatorSettings, 'url' | 'token'>): BlueprintClient {
  const admin = adminClientFor(settings);
  const call = <T>(work: () => Promise<T>) => adminCall(settings, work);
  return {
    list: (tags) => call(() => admin.blueprints.list({ tags })),
    get: (name) => call(() => admin.blueprints.get(name)),
    create: (body) => call(() => admin.blueprints.create(body)),
    setStatus: (name, status) => call(() => admin.blueprints.setStatus(name, status)),
    remove: (name) => call(() => admin.blueprints.remove(name)),
  };
}
