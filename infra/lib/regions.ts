/**
 * Where each marketplace's orders live: the region whose stack takes its orders and keeps them in
 * its Aurora cluster (EU orders stay in the EU). The app holds the marketplaces themselves
 * (currency, locales, countries); the infrastructure needs only this.
 */
export const MARKETPLACE_REGIONS = {
  us: 'us-east-1',
  de: 'eu-central-1',
  jp: 'ap-northeast-1',
} as const satisfies Record<string, string>;
export type MarketplaceCode = keyof typeof MARKETPLACE_REGIONS;

/**
 * The zones a regional stack spreads over, where `<region>a,b,c` would be wrong: new accounts get no
 * ap-northeast-1b. Any other region takes a, b and c.
 */
const REGION_ZONES: Record<string, readonly string[]> = {
  'ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
};

/** One region of the regional deployment (`-c regions=...`). */
export interface RegionSettings {
  readonly region: string;
  /** Three zones of the region: the writer goes to the first. */
  readonly availabilityZones: readonly string[];
  /** The marketplaces whose orders this region takes, in the table's order: the first is the default. */
  readonly marketplaces: readonly MarketplaceCode[];
}

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Whether a string has the shape of an AWS region name. */
export function isRegionName(value: string): boolean {
  return REGION_NAME.test(value);
}

/**
 * The regions of `-c regions=a,b,c`, in the order given (the first is the primary: the global stack
 * and the catalogue's source live there), each with its marketplaces. Adds a sentence to `problems`
 * for every malformed or repeated region, every marketplace whose region is missing and every region
 * that would host none.
 */
export function readRegions(raw: string, problems: string[]): readonly RegionSettings[] {
  const regions = raw.split(',').map((region) => region.trim());
  const before = problems.length;
  for (const region of regions.filter((name) => !isRegionName(name))) {
    problems.push(`regions must list AWS regions such as us-east-1,eu-central-1, and "${region}" is not one.`);
  }
  for (const region of new Set(regions.filter((name, index) => regions.indexOf(name) !== index))) {
    problems.push(`regions lists ${region} more than once.`);
  }
  for (const [code, region] of Object.entries(MARKETPLACE_REGIONS)) {
    if (!regions.includes(region)) {
      problems.push(`Marketplace ${code} is hosted in ${region}, which regions does not list: its orders must stay in that region, so add it.`);
    }
  }
  const settings = [...new Set(regions)].filter(isRegionName).map((region) => ({
    region,
    availabilityZones: REGION_ZONES[region] ?? ['a', 'b', 'c'].map((zone) => `${region}${zone}`),
    marketplaces: (Object.keys(MARKETPLACE_REGIONS) as MarketplaceCode[]).filter((code) => MARKETPLACE_REGIONS[code] === region),
  }));
  for (const { region } of settings.filter((s) => s.marketplaces.length === 0)) {
    problems.push(`Region ${region} in regions hosts no marketplace, so its stack would take no orders: remove it or host a marketplace there.`);
  }
  return problems.length > before ? [] : settings;
}

/** The name a region's ALB answers on alone (`eu-central-1.orders.example.com`): what health checks and the global records aim at. */
export function regionalDomainName(domainName: string, region: string): string {
  return `${region}.${domainName}`;
}

/** A marketplace's own name (`de.orders.example.com`), always served by its region. */
export function marketplaceDomainName(domainName: string, code: MarketplaceCode): string {
  return `${code}.${domainName}`;
}

/**
 * The bucket each region imports the catalogue from, named rather than referenced: the global
 * stack replicates into it from another region, where CloudFormation cannot import its ARN.
 */
export function catalogueReplicaBucketName(envName: string, account: string, region: string): string {
  return `order-service-catalogue-${envName}-${account}-${region}`;
}

/** The bucket in the primary region where the catalogue document is written: the source of truth. */
export function catalogueSourceBucketName(envName: string, account: string): string {
  return `order-service-catalogue-${envName}-${account}-source`;
}

/** Where, in every catalogue bucket, the catalogue documents are kept: replication and the import's notification look only there. */
export const CATALOGUE_PREFIX = 'catalogue/';
