// Local only: a name and password sent to the local Cognito (moto) through
// the gateway, which answers with a real token the services verify as in
// AWS. In AWS the app uses the hosted UI (hostedUi.ts) and never sees a
// password.

import type { LocalPasswordAuth } from "../config";

export class SignInError extends Error {}

export async function signInWithPassword(
  auth: LocalPasswordAuth,
  username: string,
  password: string,
): Promise<string> {
  const response = await fetch(auth.endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
    },
    body: JSON.stringify({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: auth.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  });
  const answer = (await response.json().catch(() => ({}))) as {
    AuthenticationResult?: { AccessToken?: string };
    message?: string;
    __type?: string;
  };
  if (!response.ok) {
    // Cognito says which (no such user, wrong password) in `message`.
    throw new SignInError(answer.message ?? `sign-in refused (${response.status})`);
  }
  const token = answer.AuthenticationResult?.AccessToken;
  if (!token) {
    throw new SignInError("the identity provider asked for a step this app does not support");
  }
  return token;
}
