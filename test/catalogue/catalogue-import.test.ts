import request from 'supertest';
import { InvalidCatalogueError } from '../../service/catalogue/catalogue-document';
import { type CatalogueDocument, importCatalogue } from '../../service/catalogue/catalogue-import';
import { appOn } from '../helpers/test-app';
import { openTestDatabase, type TestDatabase } from '../helpers/test-database';

const CATALOGUE: CatalogueDocument = {
  version: 10,
  marketplaces: [
    { code: 'de', name: 'Deutschland', currency: 'EUR', locales: ['de-DE', 'en-GB'], countries: ['DE', 'AT'], region: 'eu-central-1' },
    { code: 'us', name: 'United States', currency: 'USD', locales: ['en-US'], countries: ['US'], region: 'us-east-1' },
  ],
  products: [
    {
      id: 7,
      name: 'Travel mug',
      listings: { de: { price: 1849 }, us: { price: 1999, published: false } },
      translations: { 'de-DE': { name: 'Thermobecher', description: 'Hält 6 Stunden warm.' } },
    },
    { id: 8, name: 'Digital scale', listings: { us: { price: 2899 } } },
  ],
};

describe('importing the catalogue document (what each region loads)', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase({ seed: false });
    await t.query("INSERT INTO users (id, name, email, created_at) VALUES (1, 'Ada', 'ada@example.com', '2026-01-01')");
  });
  afterEach(() => t.dispose());

  const product = (id: number, marketplace: string, language = 'de') =>
    request(appOn(t.db)).get(`/products/${id}`).query({ marketplace }).set('user_id', '1').set('Accept-Language', language);

  test('when a document is loaded into an empty region, then its marketplaces, listings and names are served, with no stock yet', async () => {
    expect(await importCatalogue(t.db, CATALOGUE)).toEqual({ version: 10, skipped: false, marketplaces: 2, products: 2, listings: 3, withdrawn: 0 });

    const mug = await product(7, 'de');
    expect(mug.body).toEqual({ id: 7, marketplace: 'de', locale: 'de-DE', name: 'Thermobecher', description: 'Hält 6 Stunden warm.', price: 1849, currency: 'EUR', stock: 0 });
    expect((await product(7, 'us')).status).toBe(404);
    expect((await product(8, 'de')).status).toBe(404);
    expect((await product(8, 'us')).body).toMatchObject({ price: 2899, currency: 'USD' });
  });

  test('when a newer document is loaded, then prices and names follow it, products it dropped are withdrawn, and stock is left alone', async () => {
    await importCatalogue(t.db, CATALOGUE);
    await t.query('UPDATE products SET stock = 40 WHERE id = 7');
    const changed: CatalogueDocument = { ...CATALOGUE, version: 11, products: [{ ...CATALOGUE.products[0], listings: { de: { price: 1799 } } }] };

    expect(await importCatalogue(t.db, changed)).toEqual({ version: 11, skipped: false, marketplaces: 2, products: 1, listings: 1, withdrawn: 1 });

    expect((await product(7, 'de')).body).toMatchObject({ price: 1799, stock: 40 });
    expect((await product(8, 'us')).status).toBe(404);
    expect(await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM products')).toEqual([{ n: 2 }]);
  });

  test('when a document arrives that is not newer than the loaded one (repeated, or late), then it is skipped and changes nothing', async () => {
    const newer: CatalogueDocument = { ...CATALOGUE, version: 12, products: [{ ...CATALOGUE.products[0], listings: { de: { price: 1799 } } }] };
    await importCatalogue(t.db, newer);

    expect(await importCatalogue(t.db, newer)).toMatchObject({ version: 12, skipped: true });
    expect(await importCatalogue(t.db, CATALOGUE)).toMatchObject({ version: 10, skipped: true });

    expect((await product(7, 'de')).body.price).toBe(1799);
    expect((await product(8, 'us')).status).toBe(404);
    expect(await t.query('SELECT CAST(version AS INTEGER) AS version FROM catalogue_state')).toEqual([{ version: 12 }]);
  });

  test('when the document is invalid, then every problem is named and nothing is written', async () => {
    const broken = {
      marketplaces: [{ code: 'DE', name: '', currency: 'EURO', locales: [], countries: ['Germany'], region: 'frankfurt' }],
      products: [{ id: 0, name: 'x', listings: { fr: { price: 1.5 } } }],
    };

    const error = await importCatalogue(t.db, broken).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidCatalogueError);
    expect((error as InvalidCatalogueError).problems).toEqual([
      'version must be a positive integer, greater for every newer document',
      'marketplaces[0].code must be 2-8 lower-case letters',
      'marketplaces[0].name must be text of at most 100 characters',
      'marketplaces[0].currency must be an ISO 4217 code',
      'marketplaces[0].locales must list BCP 47 tags such as de-DE',
      'marketplaces[0].countries must list ISO 3166 codes such as DE',
      'marketplaces[0].region must be an AWS region such as eu-central-1',
      'products[0].id must be a positive integer',
      'products[0].listings.fr: no such marketplace in the document',
      'products[0].listings.fr.price must be a whole number of minor units, 0 or more',
    ]);
    expect(await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM products')).toEqual([{ n: 0 }]);
  });
});
