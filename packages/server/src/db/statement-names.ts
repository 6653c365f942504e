import { createHash } from 'node:crypto';

/**
 * Names for prepared statements, derived from their text so equal texts share one per connection.
 *
 * Several hot statements are assembled per call from many pieces (a cons string of thousands of
 * nodes, up to ~14 KB). Looking such a text up in a Map keyed by the text hashes it (flattening it
 * first), about 40 µs a call; comparing it with `===` to the one text of the same length already
 * named walks it once without either, about a tenth of that. So the texts are kept by length, and
 * a text of a new length (or of a known length but new) is named once, by its hash.
 */
export class StatementNames {
  readonly #byLength = new Map<number, Array<{ text: string; name: string }>>();

  /** The name of `sql`: `q_` and 24 base64url characters of its SHA-256. */
  nameOf(sql: string): string {
    let named = this.#byLength.get(sql.length);
    if (named === undefined) {
      named = [];
      this.#byLength.set(sql.length, named);
    }
    for (const entry of named) if (entry.text === sql) return entry.name;
    const name = `q_${createHash('sha256').update(sql).digest('base64url').slice(0, 24)}`;
    named.push({ text: sql, name });
    return name;
  }
}
