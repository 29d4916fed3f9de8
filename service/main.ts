import { createApp } from './app';
import { logAuthentication } from './auth/auth-settings';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/open-database';
import { seedDevelopmentData } from './seed/development-seed';
import { Lifecycle } from './health/lifecycle';
import { bufferedStdout, createLogger } from './http/logger';
import { limitHeapGrowth } from './heap-settings';
import { createHttpServer, listen } from './http/server';
import { purgeExpiredKeysPeriodically } from './orders/idempotency-purge';
import { startOutboxRelay } from './outbox/start-relay';
import { installGracefulShutdown } from './shutdown';

/** heap settings → loadConfig → open database → migrate → (seed) → outbox relay → listen → drain on SIGTERM. */
async function main(): Promise<void> {
  limitHeapGrowth();
  const config = loadConfig();
  const logger = createLogger(config.logLevel, bufferedStdout());
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });

  logAuthentication(config, logger);
  const db = await openDatabase(config.database, logger);
  const applied = await db.migrate();
  logger.info({ database: db.kind, applied }, applied.length ? 'migrations applied' : 'schema up to date');
  if (config.seedDevData && (await seedDevelopmentData(db))) logger.info('development seed loaded');

  purgeExpiredKeysPeriodically(db, logger);
  const relay = await startOutboxRelay(config, db, logger);

  const lifecycle = new Lifecycle();
  const server = createHttpServer(createApp({ db, logger, config, lifecycle }));
  const port = await listen(server, config.port, config.host);
  installGracefulShutdown({
    server,
    db,
    lifecycle,
    logger,
    drainMs: config.shutdownDrainMs,
    timeoutMs: config.shutdownTimeoutMs,
    stopBackgroundWork: async () => relay?.stop(),
  });
  logger.info({ port, database: db.kind }, `order service listening on http://localhost:${port}`);
}

main().catch((error: unknown) => {
  // Configuration errors are for a human: print the list, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
