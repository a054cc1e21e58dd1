// What differs between environments, read once at start from /config.json
// (served by the local gateway, or written to the bucket by Terraform), so
// one bundle serves everywhere.

export type LocalPasswordAuth = {
  kind: "local-password";
  /** Same-origin path the gateway proxies to the local Cognito (moto). */
  endpoint: string;
  clientId: string;
};

export type HostedUiAuth = {
  kind: "cognito-hosted-ui";
  /** https://<domain>.auth.<region>.amazoncognito.com */
  authority: string;
  clientId: string;
  redirectPath: string;
  scopes: string[];
};

export type AuthConfig = LocalPasswordAuth | HostedUiAuth;

export type AppConfig = { auth: AuthConfig };

export class ConfigError extends Error {}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) {
    throw new ConfigError(`/config.json answered ${response.status}`);
  }
  return parseConfig(await response.json());
}

function parseConfig(raw: unknown): AppConfig {
  const auth = (raw as { auth?: Record<string, unknown> } | null)?.auth;
  const text = (key: string): string => {
    const value = auth?.[key];
    if (typeof value !== "string" || value === "") {
      throw new ConfigError(`/config.json: auth.${key} must be a non-empty string`);
    }
    return value;
  };
  switch (auth?.kind) {
    case "local-password":
      return { auth: { kind: "local-password", endpoint: text("endpoint"), clientId: text("clientId") } };
    case "cognito-hosted-ui": {
      const scopes = auth.scopes;
      if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === "string")) {
        throw new ConfigError("/config.json: auth.scopes must be a list of strings");
      }
      return {
        auth: {
          kind: "cognito-hosted-ui",
          authority: text("authority").replace(/\/+$/, ""),
          clientId: text("clientId"),
          redirectPath: text("redirectPath"),
          scopes,
        },
      };
    }
    default:
      throw new ConfigError(`/config.json: unknown auth.kind ${JSON.stringify(auth?.kind)}`);
  }
}
