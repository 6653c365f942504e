import type { ServerContext } from '../server-context.ts';

/** The declarative `bootstrap` document of DESIGN §4. */
export interface BootstrapDocument {
  zones: Array<{
    id: string;
    name?: string;
    applications?: Array<{ id: string; secret: string; scopes?: string[]; admin?: boolean }>;
    resources?: Array<{ id: string; scopes: string[] }>;
  }>;
}

/** Makes the declared zones, applications and resources exist; written by the STS change. */
export async function applyBootstrap(_context: ServerContext, _document: BootstrapDocument): Promise<void> {}
