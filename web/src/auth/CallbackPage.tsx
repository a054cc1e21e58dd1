import { useEffect, useState } from "react";

import type { HostedUiAuth } from "../config";
import { navigate } from "../router";
import { ErrorNote } from "../ui/bits";
import { finishHostedSignIn } from "./hostedUi";
import { startSession } from "./session";
import { safeNext } from "./SignInPage";

export function CallbackPage({ auth, search }: { auth: HostedUiAuth; search: string }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    finishHostedSignIn(auth, search)
      .then(({ accessToken, returnTo }) => {
        startSession(accessToken);
        navigate(safeNext(returnTo), { replace: true });
      })
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
    // Once: the code can be exchanged only once.
  }, []);
  return error ? <ErrorNote message={error} /> : <p role="status">Signing you in…</p>;
}
