import type { Logger } from 'pino';
import type { Config } from '../config';
import type { EventConsumer } from './event-consumer';

/** Every consumer of order events, the same in the worker and in the embedded relay. */
export function createConsumers(_config: Config, _logger: Logger): EventConsumer[] {
  return [];
}
