import { InvalidInput } from "../../core/errors.js";

/** Reads a secret's string by id; injectable so config tests need no AWS. */
export type SecretReader = (secretId: string) => Promise<string>;

/** The JSON string of a Secrets Manager secret. */
export async function readSecretString(secretId: string): Promise<string> {
  // Imported here so functions without Slack or GitHub never load the client.
  const { SecretsManagerClient, GetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager");
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString) throw new InvalidInput(secretId, "SecretString", "expected a JSON secret string");
  return out.SecretString;
}

/**
 * Load once per container and share the promise; a failure is forgotten, so a throttled or
 * briefly missing secret does not disable the channel for the container's life.
 */
export function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((e: unknown) => {
      value = undefined;
      throw e;
    });
    return value;
  };
}
