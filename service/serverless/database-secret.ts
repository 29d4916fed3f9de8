import type { Env } from '../env-reader';

/** Reads a Secrets Manager secret's JSON text by its ARN. */
export type SecretReader = (secretArn: string) => Promise<string>;

/**
 * The environment with the database credentials filled in. On Lambda nothing injects a secret's
 * fields into the environment (ECS does, for the Fargate tier), so the function is given the
 * secret's ARN in DB_SECRET_ARN and reads the RDS-generated secret once, at a cold start: its
 * username, password and dbname become DB_USER, DB_PASSWORD and DB_NAME, and the password never
 * appears in the function's configuration. Without DB_SECRET_ARN the environment is returned as is.
 */
export async function withDatabaseSecret(env: Env, readSecret: SecretReader = readFromSecretsManager): Promise<Env> {
  const { DB_SECRET_ARN: secretArn, ...rest } = env;
  if (!secretArn) return env;
  const text = await readSecret(secretArn);
  let fields: { username?: unknown; password?: unknown; dbname?: unknown };
  try {
    fields = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text, which is the password.
    throw new Error(`DB_SECRET_ARN: the secret ${secretArn} could not be read as JSON.`);
  }
  const field = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return { ...rest, DB_USER: field(fields.username), DB_PASSWORD: field(fields.password), DB_NAME: rest.DB_NAME ?? field(fields.dbname) };
}

/** The Lambda runtime ships the AWS SDK v3, so the bundle leaves it out and it is loaded only here. */
async function readFromSecretsManager(secretArn: string): Promise<string> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!SecretString) throw new Error('the secret has no string value');
    return SecretString;
  } finally {
    client.destroy();
  }
}
