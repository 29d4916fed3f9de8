import { InfraConfigError, loadInfraConfig, SETTINGS } from '../../infra/lib/config';
import { from, problemsOf } from '../helpers/infra-settings';

describe('loadInfraConfig', () => {
  test('when nothing is set, then it is staging with example values that synthesize offline', () => {
    // GIVEN no context and no environment variables
    // WHEN the settings are loaded
    const config = loadInfraConfig(from({}));

    // THEN staging is cheaper: one NAT gateway, one reader, a week of backups, no protection
    expect(config).toMatchObject({
      envName: 'staging',
      account: '123456789012',
      region: 'us-east-1',
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      domainName: 'orders.staging.example.com',
      zoneName: 'staging.example.com',
      natGateways: 1,
      database: { readers: 1, backupRetentionDays: 7, protect: false },
      service: { minTasks: 2, maxTasks: 4, cpu: 512, memoryMiB: 1024, requestsPerTarget: 6000 },
      auth: {
        issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE',
        jwksUrl: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE/.well-known/jwks.json',
      },
    });
  });

  test('when env is prod, then it keeps two NAT gateways, two readers, 30 days of backups and protection', () => {
    const config = loadInfraConfig(from({ env: 'prod' }));

    expect(config).toMatchObject({
      envName: 'prod',
      natGateways: 2,
      database: { readers: 2, backupRetentionDays: 30, protect: true },
      service: { minTasks: 2, maxTasks: 10 },
    });
  });

  test('when context names the account, domain, sizes and auth, then those win over the examples', () => {
    const config = loadInfraConfig(
      from({
        env: 'prod',
        account: '210987654321',
        region: 'eu-west-1',
        domainName: 'api.shop.test',
        hostedZoneId: 'Z111111QQQQQQQ',
        taskCpu: '2048',
        taskMemoryMiB: '4096',
        maxTasks: '20',
        requestsPerTarget: '3000',
        authIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC',
        authAudience: 'client-123',
        alarmEmail: 'oncall@shop.test',
      }),
    );

    expect(config).toMatchObject({
      account: '210987654321',
      region: 'eu-west-1',
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      domainName: 'api.shop.test',
      zoneName: 'shop.test',
      hostedZoneId: 'Z111111QQQQQQQ',
      service: { cpu: 2048, memoryMiB: 4096, maxTasks: 20, requestsPerTarget: 3000 },
      auth: {
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC',
        jwksUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC/.well-known/jwks.json',
        audience: 'client-123',
      },
      alarmEmail: 'oncall@shop.test',
    });
  });

  test('when several settings are wrong, then one error names each of them in a sentence', () => {
    const attempt = () =>
      loadInfraConfig(
        from({
          account: '42',
          availabilityZones: 'us-east-1a',
          domainName: 'orders.example.com',
          zoneName: 'example.org',
          taskCpu: '256',
          taskMemoryMiB: '8192',
          alarmEmail: 'nobody',
        }),
      );

    expect(attempt).toThrow(InfraConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as InfraConfigError).problems;
      expect(problems).toEqual([
        expect.stringMatching(/^account must be a 12-digit AWS account id/),
        expect.stringMatching(/^availabilityZones must list two or three zones/),
        expect.stringMatching(/^domainName "orders.example.com" must be inside the hosted zone "example.org"\.$/),
        expect.stringMatching(/^taskCpu 256 with taskMemoryMiB 8192 is not a size Fargate offers\.$/),
        expect.stringMatching(/^alarmEmail must be an email address/),
      ]);
    }
  });

  test('when env is neither staging nor prod, then it refuses', () => {
    expect(() => loadInfraConfig(from({ env: 'dev' }))).toThrow('env must be one of staging, prod, not "dev".');
  });

  test('when nothing is set, then the worker runs 1-2 small tasks in staging and 2-6 in prod, aiming at 100 messages each, and mails as orders@ the domain', () => {
    expect(loadInfraConfig(from({}))).toMatchObject({
      worker: { cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 2, messagesPerTask: 100 },
      mail: { from: 'orders@orders.staging.example.com', domain: 'orders.staging.example.com' },
    });
    expect(loadInfraConfig(from({ env: 'prod' }))).toMatchObject({
      worker: { cpu: 512, memoryMiB: 1024, minTasks: 2, maxTasks: 6, messagesPerTask: 100 },
      mail: { from: 'orders@orders.example.com', domain: 'orders.example.com' },
    });
  });

  test('when context sets the worker and the sender, then those win, and the sender`s domain is the one SES verifies', () => {
    const config = loadInfraConfig(from({ env: 'prod', workerMaxTasks: '12', workerMessagesPerTask: '250', mailFrom: 'Shop <Orders@Example.com>' }));

    expect(config).toMatchObject({
      worker: { minTasks: 2, maxTasks: 12, messagesPerTask: 250 },
      mail: { from: 'Shop <Orders@Example.com>', domain: 'example.com' },
    });
  });

  test('when the worker or the sender settings are wrong, then each is named in a sentence', () => {
    expect(problemsOf({ env: 'prod', workerMaxTasks: '1', workerMessagesPerTask: '0' })).toEqual([
      'workerMaxTasks must be a whole number from 2 to 50, not "1".',
      'workerMessagesPerTask must be a whole number from 1 to 100000, not "0".',
    ]);
    expect(problemsOf({ mailFrom: 'orders' })).toEqual(['mailFrom must be an address or "Name <address>", not "orders".']);
    expect(problemsOf({ mailFrom: 'orders@elsewhere.test' })).toEqual([
      'mailFrom\'s domain "elsewhere.test" must be inside the hosted zone "staging.example.com", which receives its DKIM records.',
    ]);
  });

  test('every setting has its own environment variable', () => {
    const variables = Object.values(SETTINGS);
    expect(new Set(variables).size).toBe(variables.length);
  });
});

describe('loadInfraConfig with regions', () => {
  test('when regions is not set, then it is the single-region deployment', () => {
    expect(loadInfraConfig(from({})).regions).toBeUndefined();
  });

  test('when regions lists the three marketplace regions, then each gets its marketplaces and zones, in the order given', () => {
    // GIVEN -c regions with spaces around the names
    const config = loadInfraConfig(from({ regions: 'us-east-1, eu-central-1 ,ap-northeast-1' }));

    // THEN the first is the primary, each region hosts its own marketplace, and Tokyo skips zone b
    expect(config.regions).toEqual([
      { region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], marketplaces: ['us'] },
      { region: 'eu-central-1', availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'], marketplaces: ['de'] },
      { region: 'ap-northeast-1', availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'], marketplaces: ['jp'] },
    ]);
  });

  test('when a marketplace\'s region is missing, then it refuses, naming the marketplace and its region', () => {
    expect(problemsOf({ regions: 'us-east-1,ap-northeast-1' })).toEqual([
      'Marketplace de is hosted in eu-central-1, which regions does not list: its orders must stay in that region, so add it.',
    ]);
  });

  test('when regions holds a malformed or repeated name, or a region without a marketplace, then it refuses each', () => {
    expect(problemsOf({ regions: 'us-east-1,eu-central-1,ap-northeast-1,Frankfurt' })).toEqual([
      'regions must list AWS regions such as us-east-1,eu-central-1, and "Frankfurt" is not one.',
    ]);
    expect(problemsOf({ regions: 'us-east-1,eu-central-1,ap-northeast-1,' })).toEqual([
      'regions must list AWS regions such as us-east-1,eu-central-1, and "" is not one.',
    ]);
    expect(problemsOf({ regions: 'us-east-1,eu-central-1,us-east-1,ap-northeast-1' })).toEqual(['regions lists us-east-1 more than once.']);
    expect(problemsOf({ regions: 'us-east-1,eu-central-1,ap-northeast-1,sa-east-1' })).toEqual([
      'Region sa-east-1 in regions hosts no marketplace, so its stack would take no orders: remove it or host a marketplace there.',
    ]);
  });

  test('when regions is combined with the serverless tier or with explicit zones, then it refuses', () => {
    const regions = 'us-east-1,eu-central-1,ap-northeast-1';
    expect(problemsOf({ regions, tier: 'serverless' })).toEqual(['regions needs the fargate tier: the serverless tier is deployed to one region only.']);
    expect(problemsOf({ regions, availabilityZones: 'us-east-1a,us-east-1b' })).toEqual([
      'availabilityZones applies to a single region: with regions, each region spreads over its own three zones.',
    ]);
  });
});
