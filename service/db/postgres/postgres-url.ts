import type { EnvReader } from '../../env-reader';
import type { PostgresEndpoint, SslMode } from './postgres-endpoint';

/** What a URL's `sslmode` asked for, and the TLS setting it means here. */
export interface UrlSsl {
  /** The variable holding the URL. */
  readonly name: string;
  readonly sslmode: string;
  readonly mode: SslMode;
}

/**
 * libpq's sslmode values this service honours. `prefer` becomes require: node-postgres cannot fall
 * back to plain text, and falling back silently is what a URL asking for TLS should not get.
 */
const SSLMODES: Readonly<Record<string, SslMode>> = {
  disable: 'off',
  prefer: 'require',
  require: 'require',
  'verify-full': 'verify-full',
};

const REFUSED_SSLMODES: Readonly<Record<string, string>> = {
  allow: 'it tries an unencrypted connection first; use disable or require',
  'verify-ca': 'it verifies the certificate but not the host name; use verify-full',
};

/**
 * A postgres:// URL's endpoint and sslmode. Every other query parameter is refused rather than
 * ignored: the pools are configured by the DB_* variables, and a parameter that silently does
 * nothing (a timeout, a root certificate) is a trap.
 */
export function parsePostgresUrl(
  read: EnvReader,
  name: string,
  value: string,
): { endpoint: PostgresEndpoint; ssl: UrlSsl | undefined } | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    read.problem(`${name} is not a URL (expected postgres://user:password@host:5432/database)`);
    return undefined;
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!['postgres:', 'postgresql:'].includes(url.protocol) || !url.hostname || !database) {
    read.problem(`${name} must look like postgres://user:password@host:5432/database`);
    return undefined;
  }
  const unknown = [...new Set(url.searchParams.keys())].filter((key) => key !== 'sslmode');
  if (unknown.length) {
    read.problem(
      `${name} has query parameters the service does not read: ${unknown.join(', ')} ` +
        '(only sslmode is understood; the DB_* variables set the rest, e.g. DB_SSL_CA_PATH, DB_CONNECT_TIMEOUT_MS)',
    );
  }
  return {
    endpoint: {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : 5432,
      user: decodeURIComponent(url.username) || 'postgres',
      password: url.password ? decodeURIComponent(url.password) : undefined,
      database,
    },
    ssl: readSslmode(read, name, url.searchParams.getAll('sslmode')),
  };
}

function readSslmode(read: EnvReader, name: string, values: string[]): UrlSsl | undefined {
  if (values.length === 0) return undefined;
  if (values.length > 1) {
    read.problem(`${name} names sslmode ${values.length} times`);
    return undefined;
  }
  const [sslmode] = values;
  const mode = SSLMODES[sslmode];
  if (mode) return { name, sslmode, mode };
  read.problem(
    REFUSED_SSLMODES[sslmode]
      ? `${name} has sslmode=${sslmode}, which the service does not offer: ${REFUSED_SSLMODES[sslmode]}`
      : `${name} has sslmode=${sslmode}; it must be one of ${Object.keys(SSLMODES).join(', ')}`,
  );
  return undefined;
}
