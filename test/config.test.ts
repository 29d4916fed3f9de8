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
