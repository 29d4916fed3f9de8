import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { EVENTS_LEFT_METRIC } from './events-left-metric';

/**
 * How far back the sweep looks for a signal: CloudWatch shows a minute's figures a minute or two
 * late, and a crashed request's lease (RELAY_LEASE_MS) or a failed event's backoff (at most a
 * minute) must run out before the sweep can claim its events.
 */
export const SWEEP_LOOKBACK_MINUTES = 10;

/** Whether anything may have been left in the outbox lately; the sweep touches the database only then. */
export type SweepSignals = () => Promise<boolean>;

/**
 * The signals in CloudWatch, read without touching the database (a connection every minute would
 * keep Aurora from ever pausing): the API function wrote EventsLeft (its relay failed or ran out of
 * time) or failed itself (a timeout or crash may come after its commit), or the sweep failed (it
 * left events, the queue or the database being down) in the last SWEEP_LOOKBACK_MINUTES. A
 * CloudWatch that does not answer counts as a signal: a needless look costs less than a stuck event.
 */
export function cloudWatchSignals(apiFunctionName: string, sweepFunctionName: string): SweepSignals {
  return async () => {
    // The runtime ships the AWS SDK v3, so the bundle leaves it out (as database-secret.ts does).
    const { CloudWatchClient, GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
    const client = new CloudWatchClient({});
    const end = new Date();
    try {
      const { MetricDataResults = [] } = await client.send(
        new GetMetricDataCommand({
          StartTime: new Date(end.getTime() - SWEEP_LOOKBACK_MINUTES * 60_000),
          EndTime: end,
          MetricDataQueries: [
            sumOf('left', EVENTS_LEFT_METRIC.namespace, EVENTS_LEFT_METRIC.name, apiFunctionName),
            sumOf('apiErrors', 'AWS/Lambda', 'Errors', apiFunctionName),
            sumOf('sweepErrors', 'AWS/Lambda', 'Errors', sweepFunctionName),
          ],
        }),
      );
      return MetricDataResults.some((result) => (result.Values ?? []).some((value) => value > 0));
    } catch {
      return true;
    } finally {
      client.destroy();
    }
  };
}

function sumOf(id: string, namespace: string, metricName: string, functionName: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: [{ Name: 'FunctionName', Value: functionName }] }, Period: 60, Stat: 'Sum' },
  };
}
