import { PAGE_LIMIT_MAX } from '@caracal/protocol/constants';
import type { Page, UncheckedBody } from '@caracal/protocol';
import { CliError } from '../errors.ts';

/**
 * The largest page a list gives (docs/decisions/2026-12-04-wire-conventions.md); fewer round trips
 * for big zones.
 */
export const PAGE_LIMIT = PAGE_LIMIT_MAX;

/**
 * Follows `next_cursor` until the last page and returns every item, so `--json` prints the whole
 * list. A cursor the server already returned means it is looping; stop rather than spin forever.
 */
export async function collectPages<Item>(
  fetchPage: (cursor: string | undefined) => Promise<Page<UncheckedBody<Item>>>,
  what: string,
): Promise<Array<UncheckedBody<Item>>> {
  const items: Array<UncheckedBody<Item>> = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: Page<UncheckedBody<Item>> = await fetchPage(cursor ?? undefined);
    items.push(...page.items);
    cursor = page.next_cursor;
    if (cursor !== null) {
      if (seen.has(cursor)) throw new CliError('invalid_response', `${what}: the server returned the same next_cursor twice`);
      seen.add(cursor);
    }
  } while (cursor !== null);
  return items;
}
