import type { Logger } from 'pino';
import type { Config } from '../config';
import { createNotificationConsumer } from '../notifications/notification-consumer';
import type { EventConsumer } from './event-consumer';

/** Every consumer of order events, the same in the worker and in the embedded relay. */
export function createConsumers(config: Config, logger: Logger): EventConsumer[] {
  return [createNotificationConsumer(config.mail, logger)];
}
