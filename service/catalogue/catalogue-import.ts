import type { EntityManager } from 'typeorm';
import type { Database } from '../db/database';
import { changeRows, dialectOf, selectRows } from '../db/sql';
import { type CatalogueDocument, parseCatalogue } from './catalogue-document';

export interface CatalogueImport {
  /** The document's version, and whether it was left out because the region has this one or a newer one. */
  readonly version: number;
  readonly skipped: boolean;
  readonly marketplaces: number;
  readonly products: number;
  readonly listings: number;
  /** Products in the database but not in the document: no longer on sale anywhere (never deleted: orders name them). */
  readonly withdrawn: number;
}

/**
 * Loads a catalogue document into this region's database in one transaction: every marketplace,
 * product, listing and translation in it is written as the document says, and what it no longer
 * has is withdrawn. A document no newer than the one loaded is skipped, so a replayed, repeated or
 * late one changes nothing. Stock is left as it is; a new product starts with none.
 */
export async function importCatalogue(db: Database, input: unknown): Promise<CatalogueImport> {
  const document = parseCatalogue(input);
  return db.write((manager) => writeCatalogue(manager, document));
}

/** The same inside the caller's write transaction, for a document already checked. */
export async function writeCatalogue(manager: EntityManager, document: CatalogueDocument): Promise<CatalogueImport> {
  const dialect = dialectOf(manager);
  // Locked until the commit: a second import waits here, then sees this one's version.
  const [state] = await selectRows<{ version: number | string }>(manager, `SELECT version FROM "catalogue_state" WHERE id = 1${dialect.lockRowsOf('catalogue_state')}`, []);
  if (Number(state.version) >= document.version) {
    return { version: document.version, skipped: true, marketplaces: 0, products: 0, listings: 0, withdrawn: 0 };
  }
  for (const m of document.marketplaces) {
    await changeRows(
      manager,
      'INSERT INTO "marketplaces" (code, name, currency, default_locale, locales, countries, region) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (code) DO UPDATE SET name = excluded.name, currency = excluded.currency, default_locale = excluded.default_locale, ' +
        'locales = excluded.locales, countries = excluded.countries, region = excluded.region',
      [m.code, m.name, m.currency, m.locales[0], m.locales.join(','), m.countries.join(','), m.region],
    );
  }
  let listings = 0;
  for (const p of document.products) {
    await changeRows(manager, 'INSERT INTO "products" (id, name, stock) VALUES (?, ?, 0) ON CONFLICT (id) DO UPDATE SET name = excluded.name', [p.id, p.name]);
    await changeRows(manager, 'DELETE FROM "product_listings" WHERE product_id = ?', [p.id]);
    for (const [code, listing] of Object.entries(p.listings)) {
      await changeRows(manager, 'INSERT INTO "product_listings" (product_id, marketplace, price, published) VALUES (?, ?, ?, ?)', [
        p.id,
        code,
        listing.price,
        listing.published === false ? 0 : 1,
      ]);
      listings += 1;
    }
    await changeRows(manager, 'DELETE FROM "product_translations" WHERE product_id = ?', [p.id]);
    for (const [locale, text] of Object.entries(p.translations ?? {})) {
      await changeRows(manager, 'INSERT INTO "product_translations" (product_id, locale, name, description) VALUES (?, ?, ?, ?)', [p.id, locale, text.name, text.description ?? null]);
    }
  }
  const kept = new Set(document.products.map((p) => p.id));
  const withdrawn = (await selectRows<{ id: number }>(manager, 'SELECT id FROM "products" ORDER BY id', [])).filter((row) => !kept.has(Number(row.id)));
  for (const row of withdrawn) await changeRows(manager, 'UPDATE "product_listings" SET published = FALSE WHERE product_id = ?', [row.id]);
  // Explicit ids leave an id sequence behind where the engine keeps one: move it past them.
  const sync = dialect.syncIdSequence('products');
  if (sync) await manager.query(sync);
  await changeRows(manager, 'UPDATE "catalogue_state" SET version = ?, imported_at = ? WHERE id = 1', [document.version, dialect.timestamp(new Date())]);
  return { version: document.version, skipped: false, marketplaces: document.marketplaces.length, products: document.products.length, listings, withdrawn: withdrawn.length };
}

export type { CatalogueDocument } from './catalogue-document';
