import { useState } from 'preact/hooks';

/** Shown without a mandate, or after the server refused one. */
export function SignInForm({ message, onSignIn }: { message: string | undefined; onSignIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <main class="sign-in">
      <h1>Caracal console</h1>
      {message !== undefined && (
        <p class="notice" role="alert">
          {message}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (token.trim() !== '') onSignIn(token.trim());
        }}
      >
        <label for="operator-mandate">Operator mandate</label>
        <input
          id="operator-mandate"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        <button type="submit">Sign in</button>
      </form>
      <p class="hint">
        Mint an operator mandate with <code>caracal console</code>: it prints a sign-in link for this page. The mandate stays in this
        tab only (session storage) and is sent as a bearer header, never in a URL.
      </p>
    </main>
  );
}
