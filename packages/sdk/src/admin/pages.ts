import { CaracalAdminError } from './admin-error.ts';

/** One page of a list: its items and the cursor of the next page (null on the last). */
export interface AdminPage<Item> {
  items: Item[];
  nextCursor: string | null;
}

/**
 * Every item of every page, fetching the next page only when the previous one is used up. A cursor
 * the server already gave means it is looping: that ends the iteration with an error.
 */
export async function* everyItem<Item>(fetchPage: (cursor: string | undefined) => Promise<AdminPage<Item>>): AsyncGenerator<Item, void, undefined> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.items;
    if (page.nextCursor === null || page.nextCursor === '') return;
    if (seen.has(page.nextCursor)) throw new CaracalAdminError(0, 'server_error', 'the server returned the same next_cursor twice');
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}

/** A wire page `{ <field>: [...], next_cursor }` as an AdminPage. */
export function pageOf<Item>(answer: Record<string, unknown>, field: string): AdminPage<Item> {
  const items = answer[field];
  const next = answer.next_cursor;
  return { items: Array.isArray(items) ? (items as Item[]) : [], nextCursor: typeof next === 'string' && next !== '' ? next : null };
}

/** Drains an iterable into an array (a helper for callers that want the whole list). */
export async function collect<Item>(items: AsyncIterable<Item>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const item of items) all.push(item);
  return all;
}
