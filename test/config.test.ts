import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { ConfigError, loadConfig, type PostgresSettings } from '../service/config';

/** The least a production start needs for authentication (a Cognito user pool). */
const COGNITO = {
  AUTH_JWKS_URL: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
  AUTH_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  AUTH_AUDIENCE: '4example0client0id0abc',
};

/** The least a production start needs to mail notifications (SES, the production transport). */
const SES = { MAIL_FROM: 'Shop <orders@shop.example.com>', AWS_REGION: 'eu-west-1' };

describe('loadConfig', () => {
  test('when nothing is set, then it serves on 3000 with SQLite at db/orders.sqlite and the dev seed', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      logLevel: 'info',
      database: { kind: 'sqlite', path: path.resolve('db/orders.sqlite') },
      seedDevData: true,
      bodyLimitBytes: 102400,
      shutdownTimeoutMs: 10000,
      shutdownDrainMs: 0,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('when no marketplace is configured, then us is the default and every marketplace\'s orders are taken', () => {
    expect(loadConfig({}).marketplaces).toEqual({ defaultMarketplace: 'us', served: undefined });
  });

  test('when a region takes some marketplaces\' orders, then MARKETPLACES lists them and DEFAULT_MARKETPLACE is one of them', () => {
    expect(loadConfig({ MARKETPLACES: ' de , at ', DEFAULT_MARKETPLACE: 'de' }).marketplaces).toEqual({ defaultMarketplace: 'de', served: ['de', 'at'] });
  });

  test.each([
    [{ DEFAULT_MARKETPLACE: 'DE' }, 'DEFAULT_MARKETPLACE must be a marketplace code'],
    [{ MARKETPLACES: 'us,EU-1' }, 'MARKETPLACES must list marketplace codes separated by commas, such as us,de: EU-1.'],
    [{ MARKETPLACES: ',' }, 'MARKETPLACES must list marketplace codes separated by commas, such as us,de: empty.'],
    [{ MARKETPLACES: 'de' }, 'MARKETPLACES (de) must include DEFAULT_MARKETPLACE (us).'],
  ])('when the marketplace settings are %j, then the start is refused naming them', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  test('when variables are set, then they override the defaults', () => {
    const config = loadConfig({ PORT: '8080', SQLITE_PATH: ':memory:', LOG_LEVEL: 'debug', SEED_DEV_DATA: 'false' });

    expect(config).toMatchObject({ port: 8080, database: { path: ':memory:' }, logLevel: 'debug', seedDevData: false });
  });

  test('when NODE_ENV is production, then the development seed is off unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production', ...COGNITO, ...SES }).seedDevData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', ...COGNITO, ...SES, SEED_DEV_DATA: 'true' }).seedDevData).toBe(true);
  });

  test('when several variables are invalid, then one error names every one of them', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', SEED_DEV_DATA: 'maybe', SHUTDOWN_TIMEOUT_MS: '-5' });

    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(4);
      expect((error as Error).message).toMatch(/PORT.*\n.*LOG_LEVEL.*\n.*SEED_DEV_DATA.*\n.*SHUTDOWN_TIMEOUT_MS/);
    }
  });

  test('when PORT is out of range, then it is refused', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be an integer from 0 to 65535/);
  });
});

describe('loadConfig: PostgreSQL', () => {
  test('when DATABASE_URL is set, then the service uses PostgreSQL with its parts and sane pool defaults', () => {
    const { database } = loadConfig({ DATABASE_URL: 'postgres://app:s%40cret@db.example.com:6543/orders' });

    expect(database).toEqual({
      kind: 'postgres',
      writer: { host: 'db.example.com', port: 6543, user: 'app', password: 's@cret', database: 'orders' },
      reader: undefined,
      ssl: { mode: 'off', caPath: undefined },
      schema: 'public',
      poolSize: 10,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 10000,
      startupRetryMs: 60000,
      readYourWritesMs: 5000,
    });
  });

  test('when ECS injects the discrete DB_* variables and a reader host, then both endpoints share the credentials', () => {
    const { database } = loadConfig({
      DB_HOST: 'cluster.cluster-abc.eu-west-1.rds.amazonaws.com',
      DB_PORT: '5432',
      DB_USER: 'orders',
      DB_PASSWORD: 'pw',
      DB_NAME: 'orders',
      DB_READER_HOST: 'cluster.cluster-ro-abc.eu-west-1.rds.amazonaws.com',
      DB_SSL: 'require',
      DB_POOL_SIZE: '20',
    });

    expect(database).toMatchObject({
      kind: 'postgres',
      writer: { host: 'cluster.cluster-abc.eu-west-1.rds.amazonaws.com', user: 'orders', password: 'pw' },
      reader: { host: 'cluster.cluster-ro-abc.eu-west-1.rds.amazonaws.com', port: 5432, user: 'orders', password: 'pw', database: 'orders' },
      ssl: { mode: 'require' },
      poolSize: 20,
    });
  });

  test('when DATABASE_READER_URL is set, then it names the reader', () => {
    const { database } = loadConfig({
      DATABASE_URL: 'postgres://u@writer/db',
      DATABASE_READER_URL: 'postgresql://u@reader:5433/db',
    });

    expect(database).toMatchObject({ reader: { host: 'reader', port: 5433 } });
  });

  test.each([
    [{ DATABASE_URL: 'mysql://u@h/db' }, /DATABASE_URL must look like postgres:/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a URL/],
    [{ DB_HOST: 'h' }, /DB_USER is required when DB_HOST is set[^]*DB_NAME is required/],
    [{ DATABASE_URL: 'postgres://u@h/db', DB_SSL: 'maybe' }, /DB_SSL must be one of off, require, verify-full/],
    [{ DATABASE_URL: 'postgres://u@h/db', DB_SSL_CA_PATH: '/nowhere/ca.pem' }, /DB_SSL_CA_PATH names a file that does not exist/],
    [{ DATABASE_URL: 'postgres://u@h/db', DB_POOL_SIZE: '0' }, /DB_POOL_SIZE must be an integer from 1/],
    [{ DATABASE_URL: 'postgres://u@h/db', DB_SCHEMA: 'Robert"; drop' }, /DB_SCHEMA must be a lower-case SQL identifier/],
    [{ DATABASE_URL: 'postgres://u@h/db', DB_SSL: 'require', DB_SSL_CA_PATH: __filename }, /DB_SSL_CA_PATH is set, but TLS is require: only verify-full uses a CA bundle/],
    [{ DATABASE_URL: 'postgres://u@h/db', DATABASE_READER_URL: 'postgres://u@r/db', DB_READER_HOST: 'r' }, /Set only one of DATABASE_READER_URL and DB_READER_HOST/],
  ])('when the database settings are %j, then the start is refused with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  test('when DB_SSL is verify-full without a CA bundle, then the server is verified against Node\'s own CAs', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DB_SSL: 'verify-full' }).database).toMatchObject({
      ssl: { mode: 'verify-full', caPath: undefined },
    });
  });
});

describe('loadConfig: PostgreSQL settings without PostgreSQL', () => {
  test.each([
    [{ DB_USER: 'orders', DB_PASSWORD: 'pw', DB_NAME: 'orders', DB_READER_HOST: 'reader', DB_SSL: 'require' }, 'DB_USER, DB_PASSWORD, DB_NAME, DB_READER_HOST, DB_SSL are PostgreSQL settings'],
    [{ DATABASE_READER_URL: 'postgres://u@reader/db' }, 'DATABASE_READER_URL is a PostgreSQL setting'],
    [{ DB_HOST: '  ', DB_PORT: '5432', DB_POOL_SIZE: '20' }, 'DB_PORT, DB_POOL_SIZE are PostgreSQL settings'],
    [{ SQLITE_PATH: ':memory:', DB_SCHEMA: 'orders', DB_READ_YOUR_WRITES_MS: '0' }, 'DB_SCHEMA, DB_READ_YOUR_WRITES_MS are PostgreSQL settings'],
  ])('when %j is set without DATABASE_URL or DB_HOST, then the start is refused naming them, instead of running on SQLite', (env, named) => {
    expect(() => loadConfig(env)).toThrow(
      `${named}, but neither DATABASE_URL nor DB_HOST is set, so the service would use SQLite: set DATABASE_URL or DB_HOST, or remove them`,
    );
  });

  test('when only SQLite settings are set, then SQLite it is', () => {
    expect(loadConfig({ SQLITE_PATH: ':memory:', DB_HOST: '' }).database).toEqual({ kind: 'sqlite', path: ':memory:' });
  });
});

describe('loadConfig: sslmode in DATABASE_URL and DATABASE_READER_URL', () => {
  const writer = (query: string) => `postgres://u:p@writer.example.com/orders${query}`;
  const ssl = (env: Record<string, string>) => (loadConfig(env).database as PostgresSettings).ssl;

  test.each([
    ['disable', 'off'],
    ['prefer', 'require'],
    ['require', 'require'],
    ['verify-full', 'verify-full'],
  ])('when DATABASE_URL has sslmode=%s and DB_SSL is not set, then TLS is %s', (sslmode, mode) => {
    expect(ssl({ DATABASE_URL: writer(`?sslmode=${sslmode}`) })).toEqual({ mode, caPath: undefined });
  });

  test('when DATABASE_URL has sslmode=verify-full and DB_SSL_CA_PATH names a bundle, then the server is verified against it', () => {
    expect(ssl({ DATABASE_URL: writer('?sslmode=verify-full'), DB_SSL_CA_PATH: __filename })).toEqual({ mode: 'verify-full', caPath: __filename });
  });

  test('when sslmode and DB_SSL say the same, or only the reader URL has sslmode, then that TLS setting applies to both pools', () => {
    expect(ssl({ DATABASE_URL: writer('?sslmode=require'), DB_SSL: 'require' }).mode).toBe('require');
    expect(ssl({ DATABASE_URL: writer('?sslmode=prefer'), DB_SSL: 'require' }).mode).toBe('require');
    expect(ssl({ DATABASE_URL: writer(''), DATABASE_READER_URL: 'postgres://u@reader/orders?sslmode=require' }).mode).toBe('require');
    expect(ssl({ DB_HOST: 'writer', DB_USER: 'u', DB_NAME: 'orders', DATABASE_READER_URL: 'postgres://u@reader/orders?sslmode=disable' }).mode).toBe('off');
  });

  test('when the URL has sslmode, then its endpoint is read as without it', () => {
    expect(loadConfig({ DATABASE_URL: writer('?sslmode=require') }).database).toMatchObject({
      writer: { host: 'writer.example.com', port: 5432, user: 'u', password: 'p', database: 'orders' },
    });
  });

  test.each([
    [{ DATABASE_URL: writer('?sslmode=require'), DB_SSL: 'off' }, 'DATABASE_URL asks for sslmode=require (TLS require) but DB_SSL is off: set TLS in one place'],
    [{ DATABASE_URL: writer('?sslmode=disable'), DB_SSL: 'verify-full' }, 'DATABASE_URL asks for sslmode=disable (TLS off) but DB_SSL is verify-full'],
    [{ DATABASE_URL: writer(''), DATABASE_READER_URL: 'postgres://u@r/orders?sslmode=disable', DB_SSL: 'require' }, 'DATABASE_READER_URL asks for sslmode=disable (TLS off) but DB_SSL is require'],
    [{ DATABASE_URL: writer('?sslmode=require'), DATABASE_READER_URL: 'postgres://u@r/orders?sslmode=disable' }, 'DATABASE_URL asks for sslmode=require but DATABASE_READER_URL for sslmode=disable: both pools use one TLS setting'],
    [{ DATABASE_URL: writer('?sslmode=allow') }, 'DATABASE_URL has sslmode=allow, which the service does not offer: it tries an unencrypted connection first; use disable or require'],
    [{ DATABASE_URL: writer('?sslmode=verify-ca') }, 'DATABASE_URL has sslmode=verify-ca, which the service does not offer: it verifies the certificate but not the host name; use verify-full'],
    [{ DATABASE_URL: writer('?sslmode=on') }, 'DATABASE_URL has sslmode=on; it must be one of disable, prefer, require, verify-full'],
    [{ DATABASE_URL: writer('?sslmode=require&sslmode=disable') }, 'DATABASE_URL names sslmode 2 times'],
    [{ DATABASE_URL: writer('?sslmode=require&sslrootcert=/ca.pem&connect_timeout=5') }, 'DATABASE_URL has query parameters the service does not read: sslrootcert, connect_timeout'],
    [{ DATABASE_URL: writer(''), DATABASE_READER_URL: 'postgres://u@r/orders?application_name=x' }, 'DATABASE_READER_URL has query parameters the service does not read: application_name'],
    [{ DATABASE_URL: writer('?sslmode=require'), DB_SSL_CA_PATH: __filename }, 'DB_SSL_CA_PATH is set, but TLS is require'],
  ])('when the settings are %j, then the start is refused with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig: authentication and the order policy', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  test('when nothing is set outside production, then the user_id header and the default policy apply', () => {
    expect(loadConfig({})).toMatchObject({ auth: { mode: 'header' }, orderPolicy: 'default' });
  });

  test('when AUTH_MODE=jwt names a JWKS, then the defaults fit Cognito: sub, cognito:groups, email, staff, RS256/ES256, 30 s skew', () => {
    expect(loadConfig({ AUTH_MODE: 'jwt', ...COGNITO }).auth).toEqual({
      mode: 'jwt',
      keys: { kind: 'jwks', url: COGNITO.AUTH_JWKS_URL, refetchRefillMs: 30000, timeoutMs: 5000 },
      issuer: COGNITO.AUTH_ISSUER,
      audience: COGNITO.AUTH_AUDIENCE,
      audienceClaim: 'aud',
      algorithms: ['RS256', 'ES256'],
      clockSkewSeconds: 30,
      userClaim: 'sub',
      rolesClaim: 'cognito:groups',
      emailClaim: 'email',
      staffRole: 'staff',
    });
  });

  test('when NODE_ENV=production and no AUTH_MODE is set, then JWT is the mode, and its missing settings are named', () => {
    expect(loadConfig({ NODE_ENV: 'production', ...COGNITO, ...SES }).auth.mode).toBe('jwt');
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTH_MODE=jwt needs AUTH_JWKS_URL[^]*AUTH_ISSUER is required when AUTH_MODE=jwt[^]*AUTH_AUDIENCE is required when AUTH_MODE=jwt/,
    );
  });

  test('when NODE_ENV=production asks for the header mode, then the start is refused unless ALLOW_INSECURE_HEADER_AUTH=true', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'header' })).toThrow(
      /AUTH_MODE=header .* refused with NODE_ENV=production: configure AUTH_MODE=jwt, or set ALLOW_INSECURE_HEADER_AUTH=true/,
    );
    expect(loadConfig({ NODE_ENV: 'production', ...SES, AUTH_MODE: 'header', ALLOW_INSECURE_HEADER_AUTH: 'true' }).auth).toEqual({ mode: 'header' });
  });

  test('when AUTH_PUBLIC_KEY is a PEM public key, one line with \\n escapes included, then it is the key source', () => {
    const oneLine = PUBLIC_PEM.trim().replace(/\n/g, '\\n');

    expect(loadConfig({ AUTH_MODE: 'jwt', AUTH_PUBLIC_KEY: oneLine, AUTH_ISSUER: 'dev', AUTH_AUDIENCE: 'app' }).auth).toMatchObject({
      keys: { kind: 'public-key', pem: PUBLIC_PEM.trim() },
    });
  });

  test('when the claims and limits are set, then they are used', () => {
    const auth = loadConfig({
      AUTH_MODE: 'jwt',
      ...COGNITO,
      AUTH_AUDIENCE_CLAIM: 'client_id',
      AUTH_ALGORITHMS: 'RS256',
      AUTH_CLOCK_SKEW_SECONDS: '5',
      AUTH_USER_CLAIM: 'username',
      AUTH_ROLES_CLAIM: 'roles',
      AUTH_EMAIL_CLAIM: 'mail',
      AUTH_STAFF_ROLE: 'admins',
      AUTH_JWKS_COOLDOWN_MS: '60000',
      ORDER_POLICY: 'strict',
    });

    expect(auth).toMatchObject({
      orderPolicy: 'strict',
      auth: { audienceClaim: 'client_id', algorithms: ['RS256'], clockSkewSeconds: 5, userClaim: 'username', rolesClaim: 'roles', emailClaim: 'mail', staffRole: 'admins', keys: { refetchRefillMs: 60000 } },
    });
  });

  test.each([
    ['an unknown AUTH_MODE', { AUTH_MODE: 'oauth' }, /AUTH_MODE must be one of header, jwt/],
    ['both a JWKS and a public key', { AUTH_MODE: 'jwt', ...COGNITO, AUTH_PUBLIC_KEY: 'x' }, /Set only one of AUTH_JWKS_URL and AUTH_PUBLIC_KEY/],
    ['a plain-http JWKS elsewhere', { AUTH_MODE: 'jwt', ...COGNITO, AUTH_JWKS_URL: 'http://idp.example.com/jwks.json' }, /AUTH_JWKS_URL must use https \(plain http only for localhost\)/],
    ['a JWKS that is no URL', { AUTH_MODE: 'jwt', ...COGNITO, AUTH_JWKS_URL: 'jwks.json' }, /AUTH_JWKS_URL must be a URL/],
    ['HS256 among the algorithms', { AUTH_MODE: 'jwt', ...COGNITO, AUTH_ALGORITHMS: 'RS256,HS256' }, /AUTH_ALGORITHMS must list asymmetric algorithms/],
    ['alg none', { AUTH_MODE: 'jwt', ...COGNITO, AUTH_ALGORITHMS: 'none' }, /AUTH_ALGORITHMS must list asymmetric algorithms/],
    ['an hour of clock skew', { AUTH_MODE: 'jwt', ...COGNITO, AUTH_CLOCK_SKEW_SECONDS: '3600' }, /AUTH_CLOCK_SKEW_SECONDS must be an integer from 0 to 300/],
    ['an unknown audience claim', { AUTH_MODE: 'jwt', ...COGNITO, AUTH_AUDIENCE_CLAIM: 'azp' }, /AUTH_AUDIENCE_CLAIM must be one of aud, client_id/],
    ['an unknown ORDER_POLICY', { ORDER_POLICY: 'lenient' }, /ORDER_POLICY must be one of default, strict/],
    ['ALLOW_INSECURE_HEADER_AUTH=yes', { NODE_ENV: 'production', AUTH_MODE: 'header', ALLOW_INSECURE_HEADER_AUTH: 'yes' }, /ALLOW_INSECURE_HEADER_AUTH must be true or false/],
  ])('when the settings have %s, then the start is refused with a clear message', (_case, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  test.each([
    ['a private key', () => PRIVATE_PEM, /AUTH_PUBLIC_KEY holds a private key: configure only the public key/],
    ['not a key', () => '-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----', /AUTH_PUBLIC_KEY must be a PEM public key/],
  ])('when AUTH_PUBLIC_KEY is %s, then the start is refused', (_case, pem, message) => {
    expect(() => loadConfig({ AUTH_MODE: 'jwt', AUTH_PUBLIC_KEY: pem(), AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toThrow(message);
  });

  test('when a JWKS URL is plain http on this machine, then it is accepted (local development and tests)', () => {
    expect(loadConfig({ AUTH_MODE: 'jwt', ...COGNITO, AUTH_JWKS_URL: 'http://127.0.0.1:9000/jwks.json' }).auth).toMatchObject({
      keys: { url: 'http://127.0.0.1:9000/jwks.json' },
    });
  });
});
