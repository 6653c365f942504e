import { useState } from 'preact/hooks';
import { decodeMandateClaims, isExpired } from './auth/mandate-claims.ts';
import { clearToken, storeToken, takeToken } from './auth/token-store.ts';
import { ConsoleShell } from './views/console-shell.tsx';
import { SignInForm } from './views/sign-in-form.tsx';

const HOW_TO_MINT = 'Mint a new operator mandate with `caracal console` (it prints a sign-in link) and sign in again.';

interface Session {
  token: string;
  zoneId: string;
}

/** Sign-in (fragment, stored mandate, or the form), then the console for the mandate's zone. */
export function App() {
  const [state, setState] = useState<{ session: Session | undefined; message: string | undefined }>(() => {
    const first = signIn(takeToken(window));
    if (first.session === undefined) clearToken(window);
    return first;
  });
  const accept = (token: string | undefined) => {
    const next = signIn(token);
    if (next.session === undefined) clearToken(window);
    else storeToken(window, next.session.token);
    setState(next);
  };
  if (state.session === undefined) return <SignInForm message={state.message} onSignIn={accept} />;
  return (
    <ConsoleShell
      key={state.session.token}
      token={state.session.token}
      zoneId={state.session.zoneId}
      onSignOut={() => {
        clearToken(window);
        setState({ session: undefined, message: 'Signed out.' });
      }}
      onUnauthorized={(description) => {
        clearToken(window);
        setState({ session: undefined, message: `The server refused the operator mandate (${description}). ${HOW_TO_MINT}` });
      }}
    />
  );
}

function signIn(token: string | undefined): { session: Session | undefined; message: string | undefined } {
  if (token === undefined) return { session: undefined, message: undefined };
  const claims = decodeMandateClaims(token);
  if (claims === undefined) return { session: undefined, message: `That is not an operator mandate (a JWT with a zone_id claim). ${HOW_TO_MINT}` };
  if (isExpired(claims, Date.now())) return { session: undefined, message: `The operator mandate has expired. ${HOW_TO_MINT}` };
  return { session: { token, zoneId: claims.zoneId }, message: undefined };
}
