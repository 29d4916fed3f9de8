import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, resourcesOf, synthesizedEnvironments, type Synthesized } from '../helpers/infra-synth';

describe('Alarms', () => {
  let staging: Synthesized;
  let prod: Synthesized;
  // prod's TEST_SETTINGS include alarmEmail oncall@shop.test.
  beforeAll(() => ({ staging, prod } = synthesizedEnvironments()));

  /** Every alarm keyed by the metrics it watches: its own metric name, or each name in its math. */
  const alarmsOf = (s: Synthesized) =>
    resourcesOf(s.template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => ({
      alarm,
      metrics: alarm.MetricName
        ? [`${alarm.Namespace}/${alarm.MetricName}`]
        : alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => `${m.MetricStat.Metric.Namespace}/${m.MetricStat.Metric.MetricName}`),
    }));
  const alarmOn = (s: Synthesized, metric: string) => {
    const found = alarmsOf(s).filter((a) => a.metrics.includes(metric));
    expect(found).toHaveLength(1);
    return found[0].alarm;
  };

  test('alarms publish to an SNS topic encrypted with a rotating key that CloudWatch may use', () => {
    for (const { template } of [staging, prod]) {
      const key = logicalId(template, 'AWS::KMS::Key', 'AlarmsTopicKey');
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
          ]),
        },
      });
    }
  });

  test('every alarm notifies the topic when it fires and when it clears', () => {
    for (const s of [staging, prod]) {
      const topic = { Ref: logicalId(s.template, 'AWS::SNS::Topic', 'AlarmsTopic') };
      for (const { alarm } of alarmsOf(s)) expect(alarm).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
    }
  });

  test('the ALB 5xx rate counts both load balancer and target 5xx against all requests', () => {
    const alarm = alarmOn(prod, 'AWS/ApplicationELB/HTTPCode_ELB_5XX_Count');
    expect(alarmsOf(prod).find((a) => a.alarm === alarm)?.metrics.sort()).toEqual([
      'AWS/ApplicationELB/HTTPCode_ELB_5XX_Count',
      'AWS/ApplicationELB/HTTPCode_Target_5XX_Count',
      'AWS/ApplicationELB/RequestCount',
    ]);
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toContain('/ requests');
    expect(alarm).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 1 });
  });

  test('target response time alarms on p99', () => {
    expect(alarmOn(prod, 'AWS/ApplicationELB/TargetResponseTime')).toMatchObject({ ExtendedStatistic: 'p99', Threshold: 1 });
  });

  test('unhealthy hosts alarm as soon as one task fails its checks', () => {
    expect(alarmOn(prod, 'AWS/ApplicationELB/UnHealthyHostCount')).toMatchObject({ ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1 });
  });

  test('ECS CPU and memory alarm above the scaling targets', () => {
    expect(alarmOn(prod, 'AWS/ECS/CPUUtilization').Threshold).toBeGreaterThan(60);
    expect(alarmOn(prod, 'AWS/ECS/MemoryUtilization').Threshold).toBeGreaterThan(70);
  });

  test('Aurora CPU, freeable memory, replica lag and deadlocks alarm on the cluster', () => {
    const cluster = logicalId(prod.template, 'AWS::RDS::DBCluster', 'DatabaseCluster');
    const dimensions = [{ Name: 'DBClusterIdentifier', Value: { Ref: cluster } }];
    expect(alarmOn(prod, 'AWS/RDS/CPUUtilization')).toMatchObject({ Dimensions: dimensions, Threshold: 80 });
    expect(alarmOn(prod, 'AWS/RDS/FreeableMemory')).toMatchObject({ Dimensions: dimensions, ComparisonOperator: 'LessThanThreshold' });
    expect(alarmOn(prod, 'AWS/RDS/AuroraReplicaLagMaximum')).toMatchObject({ Dimensions: dimensions, Threshold: 1000 });
    expect(alarmOn(prod, 'AWS/RDS/Deadlocks')).toMatchObject({ Dimensions: dimensions, ComparisonOperator: 'GreaterThanThreshold', Threshold: 0 });
  });

  test('when alarmEmail is set, then it is subscribed; otherwise nobody is', () => {
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@shop.test' });
    staging.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
