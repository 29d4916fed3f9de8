import fs from 'node:fs';
import { importCatalogue } from './catalogue/catalogue-import';
import { loadConfig } from './config';
import { openDatabase } from './db/open-database';
import { createLogger } from './http/logger';

/** `npm run catalogue:import -- catalogue.json`: loads a catalogue document into this region's database. */
async function main(file: string | undefined): Promise<void> {
  if (!file) throw new Error('Usage: npm run catalogue:import -- <catalogue.json>');
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config.database, logger);
  try {
    await db.migrate();
    logger.info(await importCatalogue(db, JSON.parse(fs.readFileSync(file, 'utf8'))), 'catalogue imported');
  } finally {
    await db.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
