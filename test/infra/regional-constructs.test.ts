import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CatalogueSource } from '../../infra/lib/constructs/catalogue-source';
import { containerSettings } from '../../infra/lib/constructs/container-settings';
import { Ingress } from '../../infra/lib/constructs/ingress';
import { nagResourceName } from '../../infra/lib/constructs/nag-findings';
import { RegionalRouting } from '../../infra/lib/constructs/regional-routing';

/** A bare stack to build one construct in: no synthesis, so these checks take milliseconds. */
function bareStack(): { stack: Stack; zone: route53.IHostedZone } {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-central-1' } });
  const zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0TEST', zoneName: 'shop.test' });
  return { stack, zone };
}

describe('the regional constructs refuse what cannot work, in a sentence', () => {
  test('RegionalRouting refuses a name outside the hosted zone, and a name used twice', () => {
    const { stack, zone } = bareStack();
    const region = { region: 'eu-central-1', regionalName: 'eu-central-1.orders.shop.test', marketplaceNames: ['de.orders.shop.test'] };

    expect(() => new RegionalRouting(stack, 'Outside', { hostedZone: zone, domainName: 'orders.elsewhere.test', regions: [region] })).toThrow(
      'RegionalRouting needs orders.elsewhere.test to be inside the hosted zone shop.test.',
    );
    expect(
      () => new RegionalRouting(stack, 'Twice', { hostedZone: zone, domainName: 'orders.shop.test', regions: [{ ...region, marketplaceNames: ['orders.shop.test'] }] }),
    ).toThrow(/^RegionalRouting needs every name once/);
  });

  test('CatalogueSource refuses no destination, and two destinations in one region', () => {
    const { stack } = bareStack();
    const destination = { region: 'eu-central-1', bucketName: 'catalogue-eu' };

    expect(() => new CatalogueSource(stack, 'None', { bucketName: 'source', prefix: 'catalogue/', destinations: [] })).toThrow(
      'CatalogueSource needs at least one destination: a region that imports the catalogue.',
    );
    expect(() => new CatalogueSource(stack, 'Twice', { bucketName: 'source', prefix: 'catalogue/', destinations: [destination, destination] })).toThrow(
      'CatalogueSource needs one destination per region, not eu-central-1, eu-central-1.',
    );
  });

  test('Ingress refuses a certificate name its hosted zone cannot validate', () => {
    const { stack, zone } = bareStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');

    expect(
      () => new Ingress(stack, 'Ingress', { vpc, domainName: 'eu-central-1.orders.shop.test', alternativeNames: ['de.orders.elsewhere.test'], hostedZone: zone, deletionProtection: false }),
    ).toThrow('Ingress needs the alternative name de.orders.elsewhere.test to be inside the hosted zone shop.test, which validates the certificate.');
  });

  test('containerSettings refuses an empty marketplace list, which would leave no default marketplace', () => {
    const { stack } = bareStack();
    const secret = new secretsmanager.Secret(stack, 'Secret');
    const settings = { databaseSecret: secret, databaseWriterHost: 'w', databaseReaderHost: 'r', databasePort: '5432', queueUrl: 'q', region: 'eu-central-1', mailFrom: 'a@shop.test' };
    const auth = { jwksUrl: 'https://id.test/jwks', issuer: 'https://id.test', audience: 'orders' };

    expect(() => containerSettings({ ...settings, auth, marketplaces: [] })).toThrow(
      'containerSettings needs at least one marketplace when marketplaces is given: the first is DEFAULT_MARKETPLACE.',
    );
    expect(containerSettings({ ...settings, auth, marketplaces: ['de', 'at'] }).environment).toMatchObject({ DEFAULT_MARKETPLACE: 'de', MARKETPLACES: 'de,at' });
  });

  test('nagResourceName names a resource as cdk-nag does: a plain ARN as it is, an attribute as <LogicalId.Arn>', () => {
    const { stack } = bareStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    expect(nagResourceName(stack, 'arn:aws:s3:::plain/*')).toBe('arn:aws:s3:::plain/*');
    expect(nagResourceName(stack, bucket.arnForObjects('catalogue/*'))).toMatch(/^<Bucket[0-9A-F]{8}\.Arn>\/catalogue\/\*$/);
  });
});
