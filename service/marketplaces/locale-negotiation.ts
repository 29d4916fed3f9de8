import type { Marketplace } from '../api-types';

/**
 * The marketplace locale for a shopper's languages (Accept-Language's ranges, most wanted first,
 * as Express parses them): for each range in turn, a locale with exactly that tag, else one of the
 * same language (`de-AT` gets `de-DE`, `en` gets `en-GB`); `*` or nothing matching gets the
 * marketplace's default. RFC 4647 lookup, widened to sibling regions, which lookup alone would
 * never reach.
 */
export function negotiateLocale(wanted: readonly string[], marketplace: Pick<Marketplace, 'locales' | 'defaultLocale'>): string {
  for (const range of wanted) {
    const tag = range.toLowerCase();
    if (tag === '*') break;
    const exact = marketplace.locales.find((locale) => locale.toLowerCase() === tag);
    if (exact) return exact;
    const language = tag.split('-')[0];
    const sameLanguage = marketplace.locales.find((locale) => locale.toLowerCase().split('-')[0] === language);
    if (sameLanguage) return sameLanguage;
  }
  return marketplace.defaultLocale;
}
