import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import type { OrderServiceConfig } from './config';
import { CatalogueSource } from './constructs/catalogue-source';
import { RegionalRouting } from './constructs/regional-routing';
import {
  CATALOGUE_PREFIX,
  catalogueReplicaBucketName,
  catalogueSourceBucketName,
  marketplaceDomainName,
  regionalDomainName,
  type RegionSettings,
} from './regions';

export interface OrderServiceGlobalStackProps extends Omit<StackProps, 'env'> {
  /** The validated settings of a regional deployment: `regions` is set, and its first is the primary. */
  readonly config: OrderServiceConfig & { readonly regions: readonly RegionSettings[] };
}

/**
 * What a regional deployment has once (docs/regions.md), in the primary region: the Route 53
 * records that send each marketplace's name to its region and the shared name to the nearest
 * healthy one, and the catalogue's source bucket that replicates to every region. It refers to
 * the regional stacks only by name, so it deploys after them and imports nothing across regions.
 */
export class OrderServiceGlobalStack extends Stack {
  readonly routing: RegionalRouting;
  readonly catalogue: CatalogueSource;

  constructor(scope: Construct, id: string, props: OrderServiceGlobalStackProps) {
    const { config } = props;
    if (config.regions.length === 0) throw new Error('OrderServiceGlobalStack needs at least one region.');
    super(scope, id, { ...props, env: { account: config.account, region: config.regions[0].region } });

    const hostedZone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.hostedZoneId,
      zoneName: config.zoneName,
    });
    this.routing = new RegionalRouting(this, 'Routing', {
      hostedZone,
      domainName: config.domainName,
      regions: config.regions.map(({ region, marketplaces }) => ({
        region,
        regionalName: regionalDomainName(config.domainName, region),
        marketplaceNames: marketplaces.map((code) => marketplaceDomainName(config.domainName, code)),
      })),
    });

    this.catalogue = new CatalogueSource(this, 'Catalogue', {
      bucketName: catalogueSourceBucketName(config.envName, config.account),
      prefix: CATALOGUE_PREFIX,
      destinations: config.regions.map(({ region }) => ({ region, bucketName: catalogueReplicaBucketName(config.envName, config.account, region) })),
    });

    new CfnOutput(this, 'Url', { value: `https://${config.domainName}` });
    new CfnOutput(this, 'CatalogueBucketName', { value: this.catalogue.bucket.bucketName });
    new CfnOutput(this, 'CatalogueKeyPrefix', { value: CATALOGUE_PREFIX });
  }
}
