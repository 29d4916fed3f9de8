import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, onlyResource, resourcesOf, synthesizedEnvironments, type Synthesized } from '../helpers/infra-synth';

describe('Database', () => {
  let staging: Synthesized;
  let prod: Synthesized;
  beforeAll(() => ({ staging, prod } = synthesizedEnvironments()));

  const instancesOf = (s: Synthesized) =>
    Object.entries(s.template.findResources('AWS::RDS::DBInstance')).map(([id, r]) => ({ id, dependsOn: r.DependsOn ?? [], ...r.Properties }));

  test('the cluster is Aurora PostgreSQL on a 16.x engine', () => {
    for (const { template } of [staging, prod]) {
      template.hasResourceProperties('AWS::RDS::DBCluster', { Engine: 'aurora-postgresql', EngineVersion: Match.stringLikeRegexp('^16\\.') });
    }
  });

  test('prod has a writer and two readers, staging one reader, each in another zone with a failover tier', () => {
    // GIVEN each environment WHEN its instances are listed
    for (const [s, readers] of [[staging, 1], [prod, 2]] as const) {
      const instances = instancesOf(s);
      const writer = instances.filter((i) => i.id.startsWith('DatabaseClusterWriter'));

      // THEN one writer, the readers, all in distinct zones, the readers promotable in order
      expect(writer).toHaveLength(1);
      expect(instances).toHaveLength(1 + readers);
      expect(new Set(instances.map((i) => i.AvailabilityZone)).size).toBe(instances.length);
      expect(instances.filter((i) => i.id.startsWith('DatabaseClusterReader')).map((i) => i.PromotionTier).sort()).toEqual(
        Array.from({ length: readers }, (_, i) => i + 1),
      );
      for (const instance of instances) expect(instance).toMatchObject({ PubliclyAccessible: false, Engine: 'aurora-postgresql' });
    }
  });

  test('instances update one at a time: each depends on the one before it', () => {
    const ids = instancesOf(prod).sort((a, b) => a.PromotionTier - b.PromotionTier);
    for (let i = 1; i < ids.length; i++) expect(ids[i].dependsOn).toContain(ids[i - 1].id);
  });

  test('the cluster lives in the isolated subnets', () => {
    const [, subnetGroup] = onlyResource(prod.template, 'AWS::RDS::DBSubnetGroup');
    expect(subnetGroup.SubnetIds).toHaveLength(3);
    for (const ref of subnetGroup.SubnetIds) expect(ref.Ref).toMatch(/^NetworkVpcDataSubnet/);
    const isolated = resourcesOf(prod.template, 'AWS::EC2::Subnet').filter(([id]) => id.startsWith('NetworkVpcDataSubnet'));
    for (const [, subnet] of isolated) expect(subnet.Tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Isolated' });
  });

  test('only the API and worker security groups reach the database, and only on 5432', () => {
    // GIVEN the database and service security groups
    for (const { template } of [staging, prod]) {
      const databaseGroup = logicalId(template, 'AWS::EC2::SecurityGroup', 'DatabaseSecurityGroup');
      const serviceGroups = ['ApiServiceSecurityGroup', 'WorkerServiceSecurityGroup'].map((prefix) => logicalId(template, 'AWS::EC2::SecurityGroup', prefix));

      // WHEN the rules that let anything in are collected
      const [, cluster] = onlyResource(template, 'AWS::RDS::DBCluster');
      expect(cluster.VpcSecurityGroupIds).toEqual([{ 'Fn::GetAtt': [databaseGroup, 'GroupId'] }]);
      expect(template.findResources('AWS::EC2::SecurityGroup')[databaseGroup].Properties.SecurityGroupIngress).toBeUndefined();
      const ingress = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').filter(([, rule]) => rule.GroupId['Fn::GetAtt'][0] === databaseGroup);

      // THEN there is one from each service, on 5432
      expect(ingress.map(([, rule]) => rule)).toEqual(
        serviceGroups.map((group) =>
          expect.objectContaining({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: { 'Fn::GetAtt': [group, 'GroupId'] } }),
        ),
      );
    }
  });

  test('storage is encrypted', () => {
    for (const { template } of [staging, prod]) template.hasResourceProperties('AWS::RDS::DBCluster', { StorageEncrypted: true });
  });

  test('backups are kept 7 days in staging and 30 in prod', () => {
    staging.template.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 7 });
    prod.template.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 30 });
  });

  test('prod has deletion protection and snapshots on removal; staging can be torn down', () => {
    prod.template.hasResource('AWS::RDS::DBCluster', {
      Properties: Match.objectLike({ DeletionProtection: true }),
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
    });
    staging.template.hasResource('AWS::RDS::DBCluster', {
      Properties: Match.objectLike({ DeletionProtection: false }),
      DeletionPolicy: 'Delete',
    });
    // The snapshot is only usable with the password the secret holds.
    prod.template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
    staging.template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
  });

  test('the prod stack itself is protected from deletion; staging is not', () => {
    expect(prod.artifact.terminationProtection).toBe(true);
    expect(staging.artifact.terminationProtection).toBe(false);
  });

  test('credentials are generated into Secrets Manager with the database name, and attached to the cluster', () => {
    for (const { template } of [staging, prod]) {
      const secret = logicalId(template, 'AWS::SecretsManager::Secret', 'DatabaseSecret');
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({
          GenerateStringKey: 'password',
          SecretStringTemplate: JSON.stringify({ username: 'orders_app', dbname: 'orders' }),
        }),
      });
      template.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', {
        SecretId: { Ref: secret },
        TargetType: 'AWS::RDS::DBCluster',
      });
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        DatabaseName: 'orders',
        MasterUserPassword: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secret }, ':SecretString:password::}}']] },
      });
    }
  });

  test('every instance has Performance Insights', () => {
    for (const s of [staging, prod]) for (const instance of instancesOf(s)) expect(instance.EnablePerformanceInsights).toBe(true);
  });

  test('the postgresql log is exported to CloudWatch into a log group with retention', () => {
    for (const { template, config } of [staging, prod]) {
      template.hasResourceProperties('AWS::RDS::DBCluster', { EnableCloudwatchLogsExports: ['postgresql'] });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/rds/cluster/order-service-${config.envName}/postgresql`,
        RetentionInDays: config.logRetentionDays,
      });
    }
  });

  test('the parameter group forces SSL on every connection', () => {
    for (const { template } of [staging, prod]) {
      const group = logicalId(template, 'AWS::RDS::DBClusterParameterGroup', 'DatabaseParameters');
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Family: 'aurora-postgresql16',
        Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
      });
      template.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterParameterGroupName: { Ref: group } });
    }
  });
});
