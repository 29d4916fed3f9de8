import type { Publisher } from './publisher';

/**
 * A publisher made by its first publish. The API function's container answers reads without
 * loading the SQS client (or the mail transports of the embedded worker): about 90 ms of CPU
 * that a cold start would otherwise spend at `require`. A failed make is not kept: the next
 * publish tries again, as a failed publish leaves the events in the outbox.
 */
export function publisherOnFirstUse(make: () => Promise<Publisher>): Publisher {
  let made: Promise<Publisher> | undefined;
  const get = () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
  return {
    publish: async (events) => (await get()).publish(events),
    async close() {
      const current = made;
      made = undefined;
      await (await current?.catch(() => undefined))?.close();
    },
  };
}
