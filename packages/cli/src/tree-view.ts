import type { AgentSession, UncheckedBody } from '@caracal/protocol';
import { styleStatus, type Style } from './style.ts';

type Session = UncheckedBody<AgentSession>;

/**
 * Draws sessions as a tree from their `parent_id` links, children in the order given:
 *
 *     orchestrator  agentsess_…  active
 *     ├── researcher  agentsess_…  active
 *     │   └── fetcher  agentsess_…  active
 *     └── writer  agentsess_…  active
 */
export function renderTree(sessions: readonly Session[], options: { style: Style; name: (session: Session) => string }): string {
  const ids = new Set(sessions.map((session) => session.id));
  const childrenOf = new Map<unknown, Session[]>();
  for (const session of sessions) {
    const parent = ids.has(session.parent_id) ? session.parent_id : undefined;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), session]);
  }
  const lines: string[] = [];
  const label = (session: Session): string =>
    `${options.style.bold(options.name(session))}  ${options.style.dim(String(session.id))}  ${styleStatus(options.style, String(session.status))}`;
  const walk = (session: Session, prefix: string, connector: string, isRoot: boolean): void => {
    lines.push(isRoot ? label(session) : `${prefix}${connector}${label(session)}`);
    const children = childrenOf.get(session.id) ?? [];
    const childPrefix = isRoot ? '' : prefix + (connector === '└── ' ? '    ' : '│   ');
    children.forEach((child, index) => walk(child, childPrefix, index === children.length - 1 ? '└── ' : '├── ', false));
  };
  for (const root of childrenOf.get(undefined) ?? []) walk(root, '', '', true);
  return lines.join('\n') + '\n';
}
