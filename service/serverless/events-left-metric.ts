import type { Logger } from 'pino';

/** The metric a function writes when it leaves outbox events unpublished; the sweep reads it (sweep-signals.ts). */
export const EVENTS_LEFT_METRIC = { namespace: 'OrderService/Outbox', name: 'EventsLeft', dimension: 'FunctionName' } as const;

/**
 * One log line in CloudWatch's embedded metric format: CloudWatch Logs turns it into EventsLeft = 1
 * for this function, with no API call in the request's path and no permission to grant.
 */
export function reportEventsLeft(logger: Logger, functionName: string, reason: string): void {
  logger.warn(
    {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          { Namespace: EVENTS_LEFT_METRIC.namespace, Dimensions: [[EVENTS_LEFT_METRIC.dimension]], Metrics: [{ Name: EVENTS_LEFT_METRIC.name, Unit: 'Count' }] },
        ],
      },
      [EVENTS_LEFT_METRIC.dimension]: functionName,
      [EVENTS_LEFT_METRIC.name]: 1,
      reason,
    },
    'outbox events left for the scheduled sweep',
  );
}
