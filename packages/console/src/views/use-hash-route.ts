import { useEffect, useState } from 'preact/hooks';

export const VIEWS = ['sessions', 'delegations', 'runs', 'runners', 'blueprints'] as const;
export type ViewName = (typeof VIEWS)[number];

/** The open view lives in the fragment (`#/runs`), so reload and back/forward keep it. */
export function useHashRoute(): [ViewName, (view: ViewName) => void] {
  const [view, setView] = useState<ViewName>(() => viewOf(location.hash));
  useEffect(() => {
    const onChange = () => setView(viewOf(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return [view, (next) => (location.hash = `#/${next}`)];
}

function viewOf(hash: string): ViewName {
  const name = hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as ViewName) : 'sessions';
}
