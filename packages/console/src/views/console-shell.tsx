import { useEffect, useMemo, useState } from 'preact/hooks';
import { createConsoleApi } from '../api/console-api.ts';
import type { FeedStatus } from '../live/follow-sse.ts';
import { ZoneLive } from '../live/zone-live.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { DelegationsView } from './delegations-view.tsx';
import { BlueprintsView } from './blueprints-view.tsx';
import { RunnersView } from './runners-view.tsx';
import { RunsView } from './runs-view.tsx';
import { SessionsView } from './sessions-view.tsx';
import { useActions } from './use-actions.ts';
import { useHashRoute, VIEWS, type ViewName } from './use-hash-route.ts';

const STATUS_TEXT: Record<FeedStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Signed out',
  failed: 'Feed unavailable',
};

const VIEW_TITLES: Record<ViewName, string> = { sessions: 'Sessions', delegations: 'Delegations', runs: 'Runs', runners: 'Runners', blueprints: 'Blueprints' };

export interface ConsoleShellProps {
  token: string;
  zoneId: string;
  onSignOut: () => void;
  /** The server refused the mandate (expired, revoked): back to the sign-in form. */
  onUnauthorized: (description: string) => void;
}

/** The signed-in console: header with the live status, navigation, the open view, the dialog. */
export function ConsoleShell({ token, zoneId, onSignOut, onUnauthorized }: ConsoleShellProps) {
  const api = useMemo(() => createConsoleApi({ origin: location.origin, token, zoneId }), [token, zoneId]);
  const tokenSource = useMemo(() => () => token, [token]);
  const live = useMemo(() => new ZoneLive({ api, zoneId, token: tokenSource, onUnauthorized }), [api, zoneId, tokenSource]);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const unsubscribe = live.subscribe(() => setVersion(live.state.version + Math.random()));
    live.start();
    return () => {
      unsubscribe();
      live.stop();
    };
  }, [live]);
  const [view, go] = useHashRoute();
  const [selectedSession, setSelectedSession] = useState<string | undefined>(undefined);
  const [selectedEdge, setSelectedEdge] = useState<string | undefined>(undefined);
  const [focus, setFocus] = useState<string | null>(null);
  const [path, setPath] = useState<ReadonlySet<string>>(() => new Set());
  const actions = useActions(api, (failure) => {
    if ((failure as { status?: number }).status === 401) onUnauthorized((failure as { description?: string }).description ?? 'the operator mandate was refused');
  });
  useEffect(() => {
    document.title = `${VIEW_TITLES[view]} · Caracal console`;
  }, [view]);

  const focusInGraph = (sessionId: string) => {
    setFocus(sessionId);
    go('delegations');
  };
  return (
    <div class="shell">
      <header class="top">
        <h1>Caracal console</h1>
        <span class="muted">
          zone <span class="mono">{zoneId}</span>
        </span>
        <div role="status" class={`feed-status feed-${live.status}`}>
          {STATUS_TEXT[live.status]}
        </div>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav aria-label="Console views">
        <ul>
          {VIEWS.map((name) => (
            <li key={name}>
              <a href={`#/${name}`} aria-current={view === name ? 'page' : undefined}>
                {VIEW_TITLES[name]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        {live.loadError !== undefined && (
          <p role="alert" class="notice">
            Could not read the zone: {live.loadError}
          </p>
        )}
        {!live.loaded && live.loadError === undefined && <p class="muted">Loading the zone…</p>}
        {view === 'sessions' && (
          <SessionsView
            api={api}
            token={tokenSource}
            state={live.state}
            version={version}
            selected={selectedSession}
            onSelect={setSelectedSession}
            onAction={actions.confirm}
            onFocusGraph={focusInGraph}
            onShowPath={(sessionId, edgeIds) => {
              setPath(new Set(edgeIds));
              focusInGraph(sessionId);
            }}
          />
        )}
        {view === 'delegations' && (
          <DelegationsView
            api={api}
            state={live.state}
            version={version}
            focus={focus}
            path={path}
            selectedEdge={selectedEdge}
            onSelectEdge={setSelectedEdge}
            onFocus={setFocus}
            onClearPath={() => setPath(new Set())}
            onRevoke={(id) => actions.confirm('revoke', id)}
          />
        )}
        {view === 'runs' && (
          <RunsView
            api={api}
            zoneId={zoneId}
            token={tokenSource}
            onStop={(run, done) =>
              actions.confirmPlain(`Stop run ${run.run_id}?`, `Run ${run.run_id} of session ${run.session_id} will be stopped.`, async () => {
                await api.runs.stop(run.run_id);
                done();
              })
            }
          />
        )}
        {view === 'runners' && <RunnersView api={api} />}
        {view === 'blueprints' && <BlueprintsView api={api} />}
      </main>
      {actions.dialog !== undefined && <ConfirmDialog request={actions.dialog} />}
    </div>
  );
}
