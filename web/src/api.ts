// Calls to the REST APIs, same origin (the gateway locally, CloudFront in
// AWS), with the signed-in user's token. Every error the services and the
// gateway give is RFC 9457 problem+json; ApiError carries it.

import { currentSession, endSession } from "./auth/session";

export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { loc?: (string | number)[]; msg?: string }[];
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `request failed (${status})`);
  }
}

type Options = {
  method?: "GET" | "POST" | "PATCH";
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
};

export async function api<T>(path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const session = currentSession();
  if (session) {
    headers.Authorization = `Bearer ${session.accessToken}`;
  }
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  if (options.idempotencyKey) {
    headers["Idempotency-Key"] = options.idempotencyKey;
  }
  const response = await fetch(path, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (response.status === 401 && session) {
    endSession(); // expired or revoked: the pages show the sign-in link
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Problem;
    throw new ApiError(response.status, problem);
  }
  return (await response.json()) as T;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    const first = error.problem.errors?.[0];
    const where = first?.loc?.filter((part) => part !== "body").join(".");
    return first?.msg ? `${error.message}: ${where ? `${where}: ` : ""}${first.msg}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
