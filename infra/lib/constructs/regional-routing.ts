import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/** One region as the records see it: the name its ALB answers on, and the names of its marketplaces. */
export interface RoutedRegion {
  readonly region: string;
  /** The regional name (`eu-central-1.orders.example.com`), an alias record the regional stack keeps. */
  readonly regionalName: string;
  /** The marketplaces' own names (`de.orders.example.com`), served by this region alone. */
  readonly marketplaceNames: readonly string[];
}

export interface RegionalRoutingProps {
  /** The hosted zone that holds every name. */
  readonly hostedZone: route53.IHostedZone;
  /** The shared name (`orders.example.com`), routed by latency to the nearest healthy region. */
  readonly domainName: string;
  readonly regions: readonly RoutedRegion[];
  /**
   * The path the health checks request over HTTPS: the service's readiness, which fails when the
   * task cannot reach its database or is draining.
   * @default '/health/ready'
   */
  readonly healthCheckPath?: string;
  /**
   * Consecutive failed checks (30 s apart) before a region is unhealthy.
   * @default 3
   */
  readonly failureThreshold?: number;
}

/**
 * The global names (docs/regions.md). Per marketplace, A and AAAA aliases to its region's name:
 * never elsewhere, since its orders live only there. For the shared name, latency records per
 * region (A and AAAA), each with a Route 53 health check on the region's HTTPS readiness: a region
 * that fails it stops receiving the shared name's traffic, which goes to the next-nearest region.
 * Every alias aims at a record in the same hosted zone by name, so no value crosses regions.
 */
export class RegionalRouting extends Construct {
  /** Each region's health check, by region. */
  readonly healthChecks: Readonly<Record<string, route53.HealthCheck>>;

  constructor(scope: Construct, id: string, props: RegionalRoutingProps) {
    super(scope, id);
    const zoneName = props.hostedZone.zoneName;
    const names = [props.domainName, ...props.regions.flatMap((r) => [r.regionalName, ...r.marketplaceNames])];
    for (const name of names.filter((n) => n !== zoneName && !n.endsWith(`.${zoneName}`))) {
      throw new Error(`RegionalRouting needs ${name} to be inside the hosted zone ${zoneName}.`);
    }
    if (new Set(names).size !== names.length) throw new Error(`RegionalRouting needs every name once, not ${names.join(', ')}.`);

    const healthChecks: Record<string, route53.HealthCheck> = {};
    for (const region of props.regions) {
      const group = new Construct(this, region.region);
      const target = sameZoneAlias(props.hostedZone, region.regionalName);
      healthChecks[region.region] = new route53.HealthCheck(group, 'HealthCheck', {
        type: route53.HealthCheckType.HTTPS,
        fqdn: region.regionalName,
        port: 443,
        resourcePath: props.healthCheckPath ?? '/health/ready',
        enableSNI: true,
        requestInterval: Duration.seconds(30),
        failureThreshold: props.failureThreshold ?? 3,
      });
      const latency = { zone: props.hostedZone, recordName: props.domainName, target, region: region.region, setIdentifier: region.region };
      new route53.ARecord(group, 'LatencyIpv4', { ...latency, healthCheck: healthChecks[region.region] });
      new route53.AaaaRecord(group, 'LatencyIpv6', { ...latency, healthCheck: healthChecks[region.region] });
      for (const name of region.marketplaceNames) {
        // Named by the first label (de.orders.example.com → MarketplaceDe), so reordering keeps the records.
        const label = name.split('.')[0];
        const marketplace = new Construct(group, `Marketplace${label.charAt(0).toUpperCase()}${label.slice(1)}`);
        new route53.ARecord(marketplace, 'Ipv4', { zone: props.hostedZone, recordName: name, target });
        new route53.AaaaRecord(marketplace, 'Ipv6', { zone: props.hostedZone, recordName: name, target });
      }
    }
    this.healthChecks = healthChecks;
  }
}

/**
 * An alias to another record of the same hosted zone, by name. Evaluating the target's health
 * makes it follow the regional record's own alias to the ALB, which fails when no target is healthy.
 */
function sameZoneAlias(zone: route53.IHostedZone, recordName: string): route53.RecordTarget {
  return route53.RecordTarget.fromAlias({
    bind: () => ({ dnsName: recordName, hostedZoneId: zone.hostedZoneId, evaluateTargetHealth: true }),
  });
}
