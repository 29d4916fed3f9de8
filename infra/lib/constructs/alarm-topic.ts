import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/**
 * The topic every alarm of a stack notifies (`TopicKey` and `Topic` in `scope`): SNS encrypted
 * with a customer managed key, since CloudWatch can publish to an encrypted topic only with a key
 * it may use; emailed to `email` when one is given.
 */
export function createAlarmTopic(scope: Construct, email: string | undefined): sns.Topic {
  const key = new kms.Key(scope, 'TopicKey', { enableKeyRotation: true, description: 'Order service alarm topic' });
  key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new sns.Topic(scope, 'Topic', { masterKey: key, enforceSSL: true });
  if (email) topic.addSubscription(new subscriptions.EmailSubscription(email));
  return topic;
}

/** An alarm's settings; missing data never breaches, and above the threshold is the default. */
export type NotifyingAlarmProps = Omit<cloudwatch.AlarmProps, 'treatMissingData'>;

/** An alarm (above the threshold unless told otherwise; no data is not a breach) that notifies the topic when it fires and when it clears. */
export function addAlarm(scope: Construct, id: string, topic: sns.ITopic, props: NotifyingAlarmProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    ...props,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));
  alarm.addOkAction(new actions.SnsAction(topic));
  return alarm;
}
