import fs from 'node:fs';
import path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { apiContainer, logicalId, resourcesOf, ROOT, synthesizedEnvironments, type Synthesized } from '../helpers/infra-synth';

describe('EventQueue', () => {
  let staging: Synthesized;
  let prod: Synthesized;
  beforeAll(() => ({ staging, prod } = synthesizedEnvironments()));

  const queueId = (template: Template) => logicalId(template, 'AWS::SQS::Queue', 'EventsQueue');
  const deadLettersId = (template: Template) => logicalId(template, 'AWS::SQS::Queue', 'EventsDeadLetters');
  const propertiesOf = (template: Template, id: string) => template.findResources('AWS::SQS::Queue')[id].Properties;

  test('the queue is high-throughput FIFO, named per environment, deduplicated by the id the relay sets', () => {
    for (const s of [staging, prod]) {
      expect(propertiesOf(s.template, queueId(s.template))).toMatchObject({
        QueueName: `order-events-${s.config.envName}.fifo`,
        FifoQueue: true,
        // MessageDeduplicationId is the event id; identical bodies are still two events.
        ContentBasedDeduplication: false,
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
      });
    }
  });

  test('a received batch stays hidden 60 s, receives wait up to 20 s, and events are kept 4 days', () => {
    expect(propertiesOf(prod.template, queueId(prod.template))).toMatchObject({
      VisibilityTimeout: 60,
      ReceiveMessageWaitTimeSeconds: 20,
      MessageRetentionPeriod: 4 * 24 * 3600,
    });
  });

  test('the queues are what asyncapi.yaml`s SQS binding says (the names add the environment)', () => {
    // GIVEN the binding of the order events channel
    const binding = parse(fs.readFileSync(path.join(ROOT, 'asyncapi.yaml'), 'utf8')).channels.orderEvents.bindings.sqs;
    const queue = propertiesOf(prod.template, queueId(prod.template));
    const deadLetters = propertiesOf(prod.template, deadLettersId(prod.template));

    // THEN every property it states holds for the synthesized queues
    expect(queue).toMatchObject({
      FifoQueue: binding.queue.fifoQueue,
      DeduplicationScope: binding.queue.deduplicationScope,
      FifoThroughputLimit: binding.queue.fifoThroughputLimit,
      ReceiveMessageWaitTimeSeconds: binding.queue.receiveMessageWaitTime,
      MessageRetentionPeriod: binding.queue.messageRetentionPeriod,
      RedrivePolicy: { maxReceiveCount: binding.queue.redrivePolicy.maxReceiveCount },
    });
    expect(deadLetters).toMatchObject({ FifoQueue: binding.deadLetterQueue.fifoQueue, MessageRetentionPeriod: binding.deadLetterQueue.messageRetentionPeriod });
    expect(queue.QueueName.replace('-prod', '')).toBe(binding.queue.name);
    expect(deadLetters.QueueName.replace('-prod', '')).toBe(binding.deadLetterQueue.name);
  });

  test('after 5 receives a message goes to a FIFO dead-letter queue that keeps it 14 days', () => {
    for (const s of [staging, prod]) {
      // GIVEN both queues
      const deadLetters = deadLettersId(s.template);

      // THEN the queue redrives to the dead-letter queue after 5 receives
      expect(propertiesOf(s.template, queueId(s.template)).RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] },
        maxReceiveCount: 5,
      });
      // AND the dead-letter queue is FIFO too (a FIFO queue can only redrive to one) and keeps messages 14 days
      expect(propertiesOf(s.template, deadLetters)).toMatchObject({
        QueueName: `order-events-${s.config.envName}-dlq.fifo`,
        FifoQueue: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
    }
  });

  test('both queues are encrypted with SSE-SQS and deny any request that is not TLS', () => {
    for (const { template } of [staging, prod]) {
      for (const id of [queueId(template), deadLettersId(template)]) {
        // THEN encryption at rest without a key to grant
        expect(propertiesOf(template, id)).toMatchObject({ SqsManagedSseEnabled: true });
        expect(propertiesOf(template, id).KmsMasterKeyId).toBeUndefined();
        // AND a queue policy that denies every action over plain HTTP
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 'sqs:*',
                Principal: { AWS: '*' },
                Resource: { 'Fn::GetAtt': [id, 'Arn'] },
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    }
  });

  test('the API tasks get the queue URL and the region, so that their relay publishes to it', () => {
    for (const s of [staging, prod]) {
      const environment = Object.fromEntries(apiContainer(s.template).Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
      expect(environment).toMatchObject({ QUEUE_URL: { Ref: queueId(s.template) }, AWS_REGION: s.config.region });
      // The API relays the outbox: nothing turns its relay off.
      expect(environment.RELAY_ENABLED).toBeUndefined();
    }
  });

  test('the API task role may only send messages, and only to the queue', () => {
    for (const { template } of [staging, prod]) {
      // GIVEN every policy attached to the API's task role
      const role = logicalId(template, 'AWS::IAM::Role', 'ApiTaskTaskRole');
      const statements = resourcesOf(template, 'AWS::IAM::Policy')
        .filter(([, policy]) => policy.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap(([, policy]) => policy.PolicyDocument.Statement);

      // THEN one statement: sqs:SendMessage (which covers SendMessageBatch) on the queue
      expect(statements).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId(template), 'Arn'] } }]);
      expect(template.findResources('AWS::IAM::Role')[role].Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('the stack outputs the queue and dead-letter queue URLs', () => {
    prod.template.hasOutput('QueueUrl', { Value: { Ref: queueId(prod.template) } });
    prod.template.hasOutput('DeadLetterQueueUrl', { Value: { Ref: deadLettersId(prod.template) } });
  });

  describe('alarms', () => {
    const alarmNamed = (s: Synthesized, prefix: string) =>
      s.template.findResources('AWS::CloudWatch::Alarm')[logicalId(s.template, 'AWS::CloudWatch::Alarm', prefix)].Properties;

    test('any message in the dead-letter queue alarms, to the alarm topic', () => {
      for (const s of [staging, prod]) {
        const topic = { Ref: logicalId(s.template, 'AWS::SNS::Topic', 'AlarmsTopic') };
        expect(alarmNamed(s, 'QueueAlarmsDeadLetters')).toMatchObject({
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLettersId(s.template), 'QueueName'] } }],
          Statistic: 'Maximum',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          EvaluationPeriods: 1,
          AlarmActions: [topic],
          OKActions: [topic],
        });
      }
    });

    test('an event older than 5 minutes on the queue alarms', () => {
      expect(alarmNamed(prod, 'QueueAlarmsOldestEvent')).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(prod.template), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 300,
      });
    });
  });
});
