import fs from 'node:fs';
import path from 'node:path';
import { approximateMaxConnections, loadInfraConfig, SETTINGS } from '../../infra/lib/config';
import { from, problemsOf } from '../helpers/infra-settings';


describe('loadInfraConfig: tiers and PrivateLink', () => {
  test('when no tier is given, then it is fargate without PrivateLink', () => {
    expect(loadInfraConfig(from({}))).toMatchObject({ tier: 'fargate', privateLink: { enabled: false, allowedPrincipals: [] } });
  });

  test('when tier is serverless, then each environment has its serverless sizes, and context overrides them', () => {
    expect(loadInfraConfig(from({ tier: 'serverless' })).serverless).toEqual({
      memoryMiB: 1024,
      reservedConcurrency: 10,
      apiRateLimit: 100,
      databaseMaxCapacity: 2,
      autoPauseMinutes: 5,
    });
    expect(loadInfraConfig(from({ tier: 'serverless', env: 'prod' })).serverless).toMatchObject({ reservedConcurrency: 50, databaseMaxCapacity: 8, autoPauseMinutes: 30 });
    expect(
      loadInfraConfig(from({ tier: 'serverless', reservedConcurrency: '25', apiRateLimit: '40', databaseMaxCapacity: '4', autoPauseMinutes: '60' })).serverless,
    ).toMatchObject({ reservedConcurrency: 25, apiRateLimit: 40, databaseMaxCapacity: 4, autoPauseMinutes: 60 });
  });

  test('when privateLink is on with principals, then they are kept in order', () => {
    const config = loadInfraConfig(from({ privateLink: 'true', privateLinkPrincipals: 'arn:aws:iam::111122223333:root, arn:aws:iam::444455556666:role/billing' }));

    expect(config.privateLink).toEqual({ enabled: true, allowedPrincipals: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:role/billing'] });
  });

  test('when the tier, PrivateLink or the serverless sizes are wrong, then each is named in a sentence', () => {
    expect(problemsOf({ tier: 'lambda' })).toEqual(['tier must be one of fargate, serverless, not "lambda".']);
    expect(problemsOf({ privateLink: 'true' })).toEqual([
      'privateLink needs privateLinkPrincipals: the IAM principals (arn:aws:iam::111122223333:root, a role) allowed to connect.',
    ]);
    expect(problemsOf({ privateLink: 'yes' })).toEqual(['privateLink must be true or false, not "yes".']);
    expect(problemsOf({ privateLinkPrincipals: 'arn:aws:iam::111122223333:root' })).toEqual(['privateLinkPrincipals is set, but privateLink is not true.']);
    expect(problemsOf({ privateLink: 'true', privateLinkPrincipals: '*' })).toEqual([
      'privateLinkPrincipals must be IAM principal ARNs such as arn:aws:iam::111122223333:root, and "*" is not.',
    ]);
    expect(problemsOf({ tier: 'serverless', privateLink: 'true', privateLinkPrincipals: 'arn:aws:iam::111122223333:root' })).toEqual([
      'privateLink needs the fargate tier: the serverless tier has no load balancer to put behind an endpoint service.',
    ]);
    expect(problemsOf({ tier: 'serverless', autoPauseMinutes: '1' })).toEqual(['autoPauseMinutes must be a whole number from 5 to 1440, not "1".']);
  });

  test('when reserved concurrency could open more connections than Aurora allows at the ceiling, then it refuses', () => {
    expect(approximateMaxConnections(1)).toBe(225);
    expect(approximateMaxConnections(2)).toBe(450);
    expect(approximateMaxConnections(256)).toBe(5000);

    expect(problemsOf({ tier: 'serverless', reservedConcurrency: '300', databaseMaxCapacity: '1' })).toEqual([
      'reservedConcurrency 300 could open more connections than Aurora allows at databaseMaxCapacity 1 (about 225, 10 kept for migrations and people): lower reservedConcurrency or raise databaseMaxCapacity.',
    ]);
  });

  test('docs/deployment.md`s context table lists every setting with its environment variable', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'deployment.md'), 'utf8');
    for (const [key, variable] of Object.entries(SETTINGS)) {
      expect(doc).toMatch(new RegExp(`\\|[^\\n]*\`${key}\`[^\\n]*\\|[^\\n]*\`${variable}\``));
    }
  });
});
