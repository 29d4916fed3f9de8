import type { EntityManager } from 'typeorm';
import type { Marketplace } from '../api-types';
import { selectRows } from '../db/sql';
import { currencyExponent } from './currency-exponents';

interface MarketplaceRow {
  code: string;
  name: string;
  currency: string;
  default_locale: string;
  locales: string;
  countries: string;
  region: string;
}

const COLUMNS = 'code, name, currency, default_locale, locales, countries, region';

export async function findMarketplace(manager: EntityManager, code: string): Promise<Marketplace | null> {
  const [row] = await selectRows<MarketplaceRow>(manager, `SELECT ${COLUMNS} FROM "marketplaces" WHERE code = ?`, [code]);
  return row ? toMarketplace(row) : null;
}

export async function listMarketplaces(manager: EntityManager): Promise<Marketplace[]> {
  return (await selectRows<MarketplaceRow>(manager, `SELECT ${COLUMNS} FROM "marketplaces" ORDER BY code`, [])).map(toMarketplace);
}

function toMarketplace(row: MarketplaceRow): Marketplace {
  return {
    code: row.code,
    name: row.name,
    currency: row.currency,
    currencyExponent: currencyExponent(row.currency),
    defaultLocale: row.default_locale,
    locales: row.locales.split(','),
    countries: row.countries === '' ? [] : row.countries.split(','),
    region: row.region,
  };
}
