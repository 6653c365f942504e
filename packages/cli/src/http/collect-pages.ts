import { CliError } from '../errors.ts';
import type { Page, Row } from './response-shape.ts';

/**
 * Largest page a list allows (docs/decisions/2026-12-04-wire-conventions.md); fewer round trips for
 * big zones.
 */
export const PAGE_LIMIT = 500;

/**
 * Follows `next_cursor` until the last page and returns every item, so `--json` prints the whole
 * list. A cursor the server already returned means it is looping; stop rather than spin forever.
 */
export async function collectPages(fetchPage: (cursor: string | undefined) => Promise<Page>, what: string): Promise<Row[]> {
  const items: Row[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (cursor !== undefined) {
      if (seen.has(cursor)) throw new CliError('invalid_response', `${what}: the server returned the same next_cursor twice`);
      seen.add(cursor);
    }
  } while (cursor !== undefined);
  return items;
}
