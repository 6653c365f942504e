import type { Principal } from '../../auth/principal.ts';
import type { ServerContext } from '../../server-context.ts';
import { findApplicationCredentials } from '../../sts/identity/application-repository.ts';

/**
 * The ceiling a root session opened with grant `inherit` records. NULL — its application's
 * scopes, as they stand at each mint — when the caller's mandate carries every one of them; the
 * mandate's scopes otherwise, so a session opened with a mandate narrowed by `scope` stays that
 * narrow whichever mandate of its application presents it later. An admin opening a session for
 * another application hands it that application's scopes (NULL).
 */
export async function inheritedRootCeiling(
  context: ServerContext,
  principal: Principal,
  applicationId: string,
  heldScopes: readonly string[],
): Promise<string[] | null> {
  if (applicationId !== principal.clientId) return null;
  const application = await findApplicationCredentials(context.database, applicationId);
  const current = application?.scopes ?? [];
  if (current.every((scope) => heldScopes.includes(scope))) return null;
  return heldScopes.filter((scope) => current.includes(scope));
}
