import type { S3Event } from 'aws-lambda';
import type { CatalogueDocument } from '../../service/catalogue/catalogue-import';
import { createCatalogueImportHandler, type ObjectReader } from '../../service/serverless/catalogue-import-handler';
import { openTestDatabase, type TestDatabase } from '../helpers/test-database';

const CATALOGUE: CatalogueDocument = {
  version: 20261203180000,
  marketplaces: [{ code: 'de', name: 'Deutschland', currency: 'EUR', locales: ['de-DE', 'en-GB'], countries: ['DE', 'AT', 'CH'], region: 'eu-central-1' }],
  products: [{ id: 7, name: 'Travel mug', listings: { de: { price: 1849 } } }],
};

/** What S3 sends when an object is created: the key URL-encoded, the new version's id. */
function objectCreated(key: string, versionId: string): S3Event {
  return {
    Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'order-service-catalogue-prod-123456789012-eu-central-1' }, object: { key, versionId } } }],
  } as unknown as S3Event;
}

describe('the catalogue import function', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase({ seed: false, persistent: true });
  });
  afterEach(() => database?.dispose());

  const silent = { write: () => undefined };

  test('when S3 reports a replicated document, then it reads that version and loads it into the region\'s database', async () => {
    // GIVEN the function's environment and a bucket holding the document
    const reads: Array<Parameters<ObjectReader>[0]> = [];
    const readObject: ObjectReader = async (object) => {
      reads.push(object);
      return JSON.stringify(CATALOGUE);
    };
    const handler = createCatalogueImportHandler(database.env, { readObject, logDestination: silent });

    try {
      // WHEN S3 invokes it for catalogue/2026-12-03 18.00.json
      const results = await handler(objectCreated('catalogue/2026-12-03+18.00.json', 'v2'));

      // THEN it read the version the event names, under its decoded key, and imported it
      expect(reads).toEqual([{ bucket: 'order-service-catalogue-prod-123456789012-eu-central-1', key: 'catalogue/2026-12-03 18.00.json', versionId: 'v2' }]);
      expect(results).toEqual([{ version: 20261203180000, skipped: false, marketplaces: 1, products: 1, listings: 1, withdrawn: 0 }]);
      expect(await database.query('SELECT product_id, marketplace, price FROM product_listings')).toEqual([{ product_id: 7, marketplace: 'de', price: 1849 }]);
    } finally {
      await handler.close();
    }
  });

  test('when the document is not JSON, then the invocation fails, naming the object, and nothing is written', async () => {
    const handler = createCatalogueImportHandler(database.env, { readObject: async () => '{"marketplaces": [', logDestination: silent });

    try {
      await expect(handler(objectCreated('catalogue/broken.json', 'v1'))).rejects.toThrow(/^s3:\/\/order-service-catalogue-prod-123456789012-eu-central-1\/catalogue\/broken\.json is not JSON/);
      expect(await database.query('SELECT id FROM products')).toEqual([]);
    } finally {
      await handler.close();
    }
  });
});
