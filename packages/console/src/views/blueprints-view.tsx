import type { Blueprint } from '@caracal/protocol';
import { useState } from 'preact/hooks';
import { rowsOf, type AdminClient } from '../api/console-api.ts';
import { RefreshableList } from './refreshable-list.tsx';
import { useRows } from './use-rows.ts';

/** The zone's blueprints: what each agent is told and the authority it gets; enable or disable. */
export function BlueprintsView({ api }: { api: AdminClient }) {
  const list = useRows<Blueprint>(() => rowsOf<Blueprint>(api.blueprints.list(), 'agents'));
  const [open, setOpen] = useState<string | undefined>(undefined);
  const [actionError, setActionError] = useState<string | undefined>(undefined);
  const toggle = async (blueprint: Blueprint) => {
    try {
      await api.blueprints.setStatus(blueprint.name, blueprint.status === 'active' ? 'inactive' : 'active');
      setActionError(undefined);
      list.reload();
    } catch (failure) {
      setActionError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <RefreshableList id="blueprints" title="Blueprints" empty="No blueprints." actionError={actionError} {...list}>
      {(rows) => (
        <ul class="cards">
          {rows.map((blueprint) => (
            <li key={blueprint.name} class="card" data-status={blueprint.status}>
              <div class="section-head">
                <h3>{blueprint.name}</h3>
                <span class={`badge status-${blueprint.status}`}>{blueprint.status}</span>
                <button type="button" onClick={() => void toggle(blueprint)}>
                  {blueprint.status === 'active' ? `Disable ${blueprint.name}` : `Enable ${blueprint.name}`}
                </button>
                <button type="button" aria-expanded={open === blueprint.name} onClick={() => setOpen(open === blueprint.name ? undefined : blueprint.name)}>
                  Details
                </button>
              </div>
              <p>{blueprint.description}</p>
              <p class="muted">
                Tags: {blueprint.tags.join(', ') || '—'} · Skills: {blueprint.skills.join(', ') || '—'}
                {blueprint.authority !== null ? ` · Authority: ${JSON.stringify(blueprint.authority)}` : ''}
              </p>
              {open === blueprint.name && (
                <div class="details">
                  <h4>System prompt</h4>
                  <pre>{blueprint.system_prompt ?? '—'}</pre>
                  <h4>MCP servers</h4>
                  <pre>{JSON.stringify(blueprint.mcp_servers ?? {}, null, 2)}</pre>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </RefreshableList>
  );
}
