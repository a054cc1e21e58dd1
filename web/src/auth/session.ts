// The signed-in user's tokens. Kept in sessionStorage: readable only by
// scripts of this origin (and the CSP lets no other script run here), gone
// when the tab closes, never in a cookie sent along with requests. No
// refresh token is kept: when the access token expires, sign in again.

import { useSyncExternalStore } from "react";

export type Session = {
  accessToken: string;
  username: string;
  groups: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
};

const KEY = "bazaar.session";
const listeners = new Set<() => void>();
let cached: Session | null | undefined;

export function currentSession(): Session | null {
  if (cached === undefined) {
    cached = read();
  }
  // Expired is signed out; the stale copy goes at the next sign-in or out.
  return cached && cached.expiresAt > Date.now() ? cached : null;
}

export function startSession(accessToken: string): Session {
  const claims = decodeClaims(accessToken);
  const session: Session = {
    accessToken,
    username: String(claims.username ?? claims["cognito:username"] ?? claims.sub ?? "you"),
    groups: Array.isArray(claims["cognito:groups"]) ? claims["cognito:groups"].map(String) : [],
    expiresAt: Number(claims.exp) * 1000,
  };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  cached = session;
  listeners.forEach((notify) => notify());
  return session;
}

export function endSession(): void {
  sessionStorage.removeItem(KEY);
  cached = null;
  listeners.forEach((notify) => notify());
}

export function isAdmin(session: Session | null): boolean {
  return session?.groups.includes("admins") ?? false;
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, currentSession);
}

function subscribe(notify: () => void): () => void {
  listeners.add(notify);
  return () => listeners.delete(notify);
}

function read(): Session | null {
  try {
    const stored = sessionStorage.getItem(KEY);
    return stored ? (JSON.parse(stored) as Session) : null;
  } catch {
    return null;
  }
}

/** The token's claims, for display only: the services verify the signature. */
function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (!payload) {
    throw new Error("not a JWT");
  }
  const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  return JSON.parse(json) as Record<string, unknown>;
}
