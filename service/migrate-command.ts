import { loadConfig } from './config';
import { openDatabase } from './db/open-database';
import { createLogger } from './http/logger';

/** `npm run migrate`: applies pending migrations and exits, for a deploy step. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config.database, logger);
  try {
    const applied = await db.migrate();
    logger.info({ database: db.kind, applied }, applied.length ? 'migrations applied' : 'schema up to date');
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
