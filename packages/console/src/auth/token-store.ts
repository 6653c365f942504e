/** Where the console keeps the operator mandate: this tab only, gone when the tab closes. */
export const TOKEN_STORAGE_KEY = 'caracal.console.token';

/** The parts of `window` sign-in touches, so tests can pass their own. */
export interface SignInWindow {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url?: string): void };
  sessionStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

/**
 * Takes a mandate handed over in the fragment (`#token=…`: a fragment never reaches a server or a
 * log), stores it, and removes the fragment from the address bar and history. Otherwise returns
 * the mandate stored earlier in this tab, if any.
 */
export function takeToken(target: SignInWindow): string | undefined {
  const fromFragment = tokenFromFragment(target.location.hash);
  if (fromFragment !== undefined) {
    target.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromFragment);
    target.history.replaceState(null, '', target.location.pathname + target.location.search);
    return fromFragment;
  }
  const stored = target.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  return stored === null || stored === '' ? undefined : stored;
}

export function storeToken(target: Pick<SignInWindow, 'sessionStorage'>, token: string): void {
  target.sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
}

export function clearToken(target: Pick<SignInWindow, 'sessionStorage'>): void {
  target.sessionStorage.removeItem(TOKEN_STORAGE_KEY);
}

function tokenFromFragment(hash: string): string | undefined {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (fragment === '') return undefined;
  const token = new URLSearchParams(fragment).get('token')?.trim();
  return token === undefined || token === '' ? undefined : token;
}
