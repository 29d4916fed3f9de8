import path from 'node:path';
import { ConfigError, loadConfig } from '../service/config';

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

  test('when variables are set, then they override the defaults', () => {
    const config = loadConfig({ PORT: '8080', SQLITE_PATH: ':memory:', LOG_LEVEL: 'debug', SEED_DEV_DATA: 'false' });

    expect(config).toMatchObject({ port: 8080, database: { path: ':memory:' }, logLevel: 'debug', seedDevData: false });
  });

  test('when NODE_ENV is production, then the development seed is off unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).seedDevData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEV_DATA: 'true' }).seedDevData).toBe(true);
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
    [{ DATABASE_URL: 'postgres://u@h/db', DB_SSL: 'verify-full' }, /DB_SSL_CA_PATH is required/],
    [{ DATABASE_URL: 'postgres://u@h/db', DB_SSL: 'maybe' }, /DB_SSL must be one of off, require, verify-full/],
    [{ DATABASE_URL: 'postgres://u@h/db', DB_SSL_CA_PATH: '/nowhere/ca.pem' }, /DB_SSL_CA_PATH names a file that does not exist/],
    [{ DATABASE_URL: 'postgres://u@h/db', DB_POOL_SIZE: '0' }, /DB_POOL_SIZE must be an integer from 1/],
    [{ DATABASE_URL: 'postgres://u@h/db', DB_SCHEMA: 'Robert"; drop' }, /DB_SCHEMA must be a lower-case SQL identifier/],
  ])('when the database settings are %j, then the start is refused with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
