import { useMemo, useState } from 'preact/hooks';
import type { AuthorityState } from '../model/authority-state.ts';
import { Fragment } from 'preact';
import { treeItemLabel, treeItemParts, visibleTreeRows } from '../model/session-tree.ts';
import { useVirtualList } from './use-virtual-list.ts';

const ROW_HEIGHT = 30;

export interface SessionTreeProps {
  state: AuthorityState;
  version: number;
  selected: string | undefined;
  onSelect: (id: string) => void;
}

/**
 * The live session tree (WAI-ARIA tree pattern): arrows move, Right/Left expand and collapse,
 * Enter or a click selects. Virtualised: only the rows in view are in the DOM.
 */
export function SessionTree({ state, version, selected, onSelect }: SessionTreeProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [active, setActive] = useState<string | undefined>(undefined);
  const rows = useMemo(() => visibleTreeRows(state, collapsed), [state, collapsed, version]);
  const list = useVirtualList(rows.length, ROW_HEIGHT);
  const activeId = active ?? selected ?? rows[0]?.session.id;
  const activeIndex = Math.max(0, rows.findIndex((row) => row.session.id === activeId));

  const toggle = (id: string, expand: boolean) => {
    const next = new Set(collapsed);
    if (expand) next.delete(id);
    else next.add(id);
    setCollapsed(next);
  };
  const focusRow = (index: number) => {
    const row = rows[index];
    if (row === undefined) return;
    setActive(row.session.id);
    list.scrollToIndex(index);
    requestAnimationFrame(() => document.getElementById(treeItemDomId(row.session.id))?.focus());
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const row = rows[activeIndex];
    if (row === undefined) return;
    const keys: Record<string, () => void> = {
      ArrowDown: () => focusRow(activeIndex + 1),
      ArrowUp: () => focusRow(activeIndex - 1),
      Home: () => focusRow(0),
      End: () => focusRow(rows.length - 1),
      ArrowRight: () => (row.hasChildren && !row.expanded ? toggle(row.session.id, true) : focusRow(activeIndex + 1)),
      ArrowLeft: () => {
        if (row.hasChildren && row.expanded) toggle(row.session.id, false);
        else focusRow(rows.findIndex((candidate) => candidate.session.id === row.session.parentId));
      },
      Enter: () => onSelect(row.session.id),
      ' ': () => onSelect(row.session.id),
    };
    const action = keys[event.key];
    if (action === undefined) return;
    event.preventDefault();
    action();
  };

  if (rows.length === 0) return <p class="empty">No agent sessions in this zone yet.</p>;
  return (
    <div class="tree-scroll" ref={list.scrollRef}>
      <div role="tree" aria-label="Session tree" class="tree" onKeyDown={onKeyDown} style={{ height: `${list.totalSize}px` }}>
        {list.items.map((item) => {
          const row = rows[item.index]!;
          const session = row.session;
          return (
            <div
              key={session.id}
              id={treeItemDomId(session.id)}
              role="treeitem"
              aria-label={treeItemLabel(session)}
              aria-level={row.level}
              aria-setsize={rows.length}
              aria-posinset={item.index + 1}
              aria-expanded={row.hasChildren ? row.expanded : undefined}
              aria-selected={session.id === selected}
              data-status={session.status}
              data-session-id={session.id}
              tabIndex={session.id === activeId ? 0 : -1}
              class="tree-row"
              style={{ transform: `translateY(${item.start}px)`, paddingLeft: `${(row.level - 1) * 18 + 6}px` }}
              onClick={() => {
                setActive(session.id);
                onSelect(session.id);
              }}
            >
              <span
                class="twisty"
                aria-hidden="true"
                onClick={(event) => {
                  event.stopPropagation();
                  if (row.hasChildren) toggle(session.id, !row.expanded);
                }}
              >
                {row.hasChildren ? (row.expanded ? '▾' : '▸') : ''}
              </span>
              {/* Spaces between the parts: the visible text then reads as the accessible name does. */}
              {treeItemParts(session).map((part, index) => (
                <Fragment key={part.kind}>
                  {index > 0 && ' '}
                  <span class={part.kind === 'id' ? 'mono' : part.kind === 'status' ? `badge status-${session.status}` : `muted part-${part.kind}`}>{part.text}</span>
                </Fragment>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}

export function treeItemDomId(sessionId: string): string {
  return `tree-${sessionId}`;
}
