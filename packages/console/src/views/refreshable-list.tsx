import type { ComponentChildren } from 'preact';
import type { Rows } from './use-rows.ts';

interface RefreshableListProps<T> extends Rows<T> {
  /** Stem of the heading's id, which labels the section. */
  id: string;
  title: string;
  /** What the section says when the list is empty. */
  empty: string;
  /** Shown in the alert when the list itself read fine (an action on a row failed). */
  actionError?: string | undefined;
  children: (rows: T[]) => ComponentChildren;
}

/** A titled list with a Refresh button; says when it is loading, failed or empty, else renders the rows. */
export function RefreshableList<T>({ id, title, empty, rows, error, reload, actionError, children }: RefreshableListProps<T>) {
  const alert = error ?? actionError;
  return (
    <section aria-labelledby={`${id}-title`}>
      <div class="section-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      {alert !== undefined && <p role="alert">{alert}</p>}
      {rows === undefined ? <p class="muted">Loading…</p> : rows.length === 0 ? <p class="empty">{empty}</p> : children(rows)}
    </section>
  );
}
