import { isKnownCurrency } from '../marketplaces/currency-exponents';

/**
 * The catalogue as one document: what every region loads into its own database (docs/regions.md).
 * Marketplaces, products with their base name, each product's listings per marketplace and its
 * names per locale. Stock is not in it: stock is each region's own.
 */
export interface CatalogueDocument {
  /**
   * Greater for every document published after another (a counter, or a time such as
   * 20261203180000): a region loads a document only over an older one.
   */
  readonly version: number;
  readonly marketplaces: ReadonlyArray<{
    readonly code: string;
    readonly name: string;
    readonly currency: string;
    /** The default first. */
    readonly locales: readonly string[];
    readonly countries: readonly string[];
    readonly region: string;
  }>;
  readonly products: ReadonlyArray<{
    readonly id: number;
    readonly name: string;
    /** Marketplace code → price in its currency's minor units, and whether it is on sale there. */
    readonly listings: Readonly<Record<string, { readonly price: number; readonly published?: boolean }>>;
    /** Locale → name and description. */
    readonly translations?: Readonly<Record<string, { readonly name: string; readonly description?: string | null }>>;
  }>;
}

export class InvalidCatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`The catalogue document is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidCatalogueError';
  }
}

const CODE = /^[a-z]{2,8}$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.trim() !== '' && value.length <= max;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a parsed document whole, naming every problem, before anything is written. */
export function parseCatalogue(input: unknown): CatalogueDocument {
  const problems: string[] = [];
  if (!isRecord(input) || !Array.isArray(input.marketplaces) || !Array.isArray(input.products)) {
    throw new InvalidCatalogueError(['it must be an object with a version and the arrays marketplaces and products']);
  }
  if (!Number.isSafeInteger(input.version) || (input.version as number) < 1) problems.push('version must be a positive integer, greater for every newer document');
  const codes = new Set<string>();
  input.marketplaces.forEach((m: unknown, i) => {
    const at = `marketplaces[${i}]`;
    if (!isRecord(m)) return problems.push(`${at} must be an object`);
    if (typeof m.code !== 'string' || !CODE.test(m.code)) problems.push(`${at}.code must be 2-8 lower-case letters`);
    else if (codes.has(m.code)) problems.push(`${at}.code ${m.code} appears twice`);
    else codes.add(m.code);
    if (!isText(m.name, 100)) problems.push(`${at}.name must be text of at most 100 characters`);
    if (typeof m.currency !== 'string' || !isKnownCurrency(m.currency)) problems.push(`${at}.currency must be an ISO 4217 code`);
    if (!Array.isArray(m.locales) || m.locales.length === 0 || !m.locales.every((l) => typeof l === 'string' && LOCALE.test(l))) problems.push(`${at}.locales must list BCP 47 tags such as de-DE`);
    if (!Array.isArray(m.countries) || !m.countries.every((c) => typeof c === 'string' && /^[A-Z]{2}$/.test(c))) problems.push(`${at}.countries must list ISO 3166 codes such as DE`);
    if (typeof m.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(m.region)) problems.push(`${at}.region must be an AWS region such as eu-central-1`);
    return undefined;
  });
  const ids = new Set<number>();
  input.products.forEach((p: unknown, i) => {
    const at = `products[${i}]`;
    if (!isRecord(p)) return problems.push(`${at} must be an object`);
    if (!Number.isSafeInteger(p.id) || (p.id as number) < 1 || (p.id as number) > 2147483647) problems.push(`${at}.id must be a positive integer`);
    else if (ids.has(p.id as number)) problems.push(`${at}.id ${p.id} appears twice`);
    else ids.add(p.id as number);
    if (!isText(p.name, 200)) problems.push(`${at}.name must be text of at most 200 characters`);
    if (!isRecord(p.listings)) problems.push(`${at}.listings must map marketplace codes to listings`);
    else {
      for (const [code, listing] of Object.entries(p.listings)) {
        if (!codes.has(code)) problems.push(`${at}.listings.${code}: no such marketplace in the document`);
        if (!isRecord(listing) || !Number.isSafeInteger(listing.price) || (listing.price as number) < 0 || (listing.price as number) > 2147483647) {
          problems.push(`${at}.listings.${code}.price must be a whole number of minor units, 0 or more`);
        } else if (listing.published !== undefined && typeof listing.published !== 'boolean') problems.push(`${at}.listings.${code}.published must be true or false`);
      }
    }
    if (p.translations !== undefined) {
      if (!isRecord(p.translations)) problems.push(`${at}.translations must map locales to names`);
      else {
        for (const [locale, text] of Object.entries(p.translations)) {
          if (!LOCALE.test(locale)) problems.push(`${at}.translations.${locale}: not a BCP 47 tag`);
          if (!isRecord(text) || !isText(text.name, 200)) problems.push(`${at}.translations.${locale}.name must be text of at most 200 characters`);
          else if (text.description != null && !isText(text.description, 2000)) problems.push(`${at}.translations.${locale}.description must be text of at most 2000 characters`);
        }
      }
    }
    return undefined;
  });
  if (problems.length > 0) throw new InvalidCatalogueError(problems);
  return input as unknown as CatalogueDocument;
}
