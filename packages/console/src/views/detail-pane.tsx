import type { ComponentChildren } from 'preact';

/** The pane of one selected record, titled by its id; `name` stems the heading's id. */
export function DetailPane({ name, id, children }: { name: string; id: string; children: ComponentChildren }) {
  return (
    <section class="detail" aria-labelledby={`${name}-title`}>
      <h2 id={`${name}-title`} class="mono">
        {id}
      </h2>
      {children}
    </section>
  );
}
