import type { EnvReader } from '../env-reader';

/** Which marketplaces this deployment answers for (one regional stack holds its region's orders). */
export interface MarketplaceSettings {
  /** The marketplace of a request that names none: today's clients keep working unchanged. */
  readonly defaultMarketplace: string;
  /** The marketplaces whose orders this deployment takes; undefined: every one it knows. */
  readonly served: readonly string[] | undefined;
}

const CODE = /^[a-z]{2,8}$/;

export function readMarketplaceSettings(read: EnvReader): MarketplaceSettings {
  const defaultMarketplace = read.string('DEFAULT_MARKETPLACE') ?? 'us';
  if (!CODE.test(defaultMarketplace)) read.problem(`DEFAULT_MARKETPLACE must be a marketplace code (2-8 lower-case letters, such as us), not "${defaultMarketplace}".`);
  const raw = read.string('MARKETPLACES');
  const served = raw === undefined ? undefined : raw.split(',').map((code) => code.trim()).filter(Boolean);
  if (served !== undefined) {
    const invalid = served.filter((code) => !CODE.test(code));
    if (served.length === 0 || invalid.length > 0) read.problem(`MARKETPLACES must list marketplace codes separated by commas, such as us,de: ${invalid.join(', ') || 'empty'}.`);
    else if (!served.includes(defaultMarketplace)) read.problem(`MARKETPLACES (${served.join(', ')}) must include DEFAULT_MARKETPLACE (${defaultMarketplace}).`);
  }
  return { defaultMarketplace, served };
}
