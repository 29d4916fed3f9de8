/** One PostgreSQL server to connect to: the writer (Aurora's cluster endpoint) or the reader. */
export interface PostgresEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | undefined;
  readonly database: string;
}

/** Which pool: the writer's, which also migrates, or the read replicas'. */
export type PostgresRole = 'writer' | 'reader';

export type SslMode = 'off' | 'require' | 'verify-full';
export const SSL_MODES: readonly SslMode[] = ['off', 'require', 'verify-full'];

/** How logs name an endpoint: host:port/database (never the credentials). */
export function describeEndpoint(endpoint: PostgresEndpoint): string {
  return `${endpoint.host}:${endpoint.port}/${endpoint.database}`;
}
