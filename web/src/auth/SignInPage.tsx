import { useEffect, useState, type FormEvent } from "react";

import type { AuthConfig } from "../config";
import { navigate } from "../router";
import { ErrorNote } from "../ui/bits";
import { startHostedSignIn } from "./hostedUi";
import { signInWithPassword } from "./localPassword";
import { startSession } from "./session";

export function SignInPage({ auth, search }: { auth: AuthConfig; search: string }) {
  const next = safeNext(new URLSearchParams(search).get("next"));
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (auth.kind === "cognito-hosted-ui") {
      startHostedSignIn(auth, next).catch((failure: unknown) => setError(String(failure)));
    }
  }, [auth, next]);

  if (auth.kind === "cognito-hosted-ui") {
    return <p role="status">Taking you to the sign-in page…</p>;
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      startSession(await signInWithPassword(auth, username.trim(), password));
      navigate(next, { replace: true });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="signin-heading" className="narrow">
      <h1 id="signin-heading">Sign in</h1>
      <p className="muted">
        The local user pool: alice and bob are customers, ada is an admin (the README has the password).
      </p>
      <form onSubmit={submit} className="stacked">
        <label htmlFor="username">User name</label>
        <input
          id="username"
          autoComplete="username"
          required
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <ErrorNote message={error} />
    </section>
  );
}

/** Only a path of this app: never an open redirect to another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
