// In AWS: Cognito's hosted UI with the authorization code flow and PKCE,
// the standard for a browser app (no client secret; the code is useless
// without the verifier, which never leaves this tab).

import type { HostedUiAuth } from "../config";

const PENDING_KEY = "bazaar.signin";

type Pending = { verifier: string; state: string; returnTo: string };

export async function startHostedSignIn(auth: HostedUiAuth, returnTo: string): Promise<void> {
  const pending: Pending = { verifier: randomText(64), state: randomText(32), returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: auth.clientId,
    redirect_uri: redirectUri(auth),
    scope: auth.scopes.join(" "),
    state: pending.state,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: "S256",
  });
  window.location.assign(`${auth.authority}/oauth2/authorize?${query}`);
}

/** The access token for the code in this callback URL, and where to go next. */
export async function finishHostedSignIn(
  auth: HostedUiAuth,
  search: string,
): Promise<{ accessToken: string; returnTo: string }> {
  const params = new URLSearchParams(search);
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = stored ? (JSON.parse(stored) as Pending) : null;
  if (params.get("error")) {
    throw new Error(params.get("error_description") ?? params.get("error") ?? "sign-in failed");
  }
  const code = params.get("code");
  if (!pending || !code || params.get("state") !== pending.state) {
    throw new Error("this sign-in was not started here, or was already used: sign in again");
  }
  const response = await fetch(`${auth.authority}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: auth.clientId,
      code,
      redirect_uri: redirectUri(auth),
      code_verifier: pending.verifier,
    }),
  });
  const answer = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    error?: string;
  };
  if (!response.ok || !answer.access_token) {
    throw new Error(`the token endpoint refused the code (${answer.error ?? response.status})`);
  }
  return { accessToken: answer.access_token, returnTo: pending.returnTo };
}

export function hostedSignOutUrl(auth: HostedUiAuth): string {
  const query = new URLSearchParams({ client_id: auth.clientId, logout_uri: `${window.location.origin}/` });
  return `${auth.authority}/logout?${query}`;
}

function redirectUri(auth: HostedUiAuth): string {
  return `${window.location.origin}${auth.redirectPath}`;
}

function randomText(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return base64Url(bytes).slice(0, length);
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  bytes.forEach((byte) => (binary += String.fromCharCode(byte)));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
