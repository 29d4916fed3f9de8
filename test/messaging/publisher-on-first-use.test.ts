import type { OrderEvent } from '../../service/api-types';
import type { Publisher } from '../../service/outbox/publisher';
import { publisherOnFirstUse } from '../../service/outbox/publisher-on-first-use';

// Only passed along: the publisher under test never reads it.
const EVENT = { id: 1, orderId: 1, type: 'created' } as Partial<OrderEvent> as OrderEvent;

/** A publisher that counts its publishes and closes. */
function recording(): Publisher & { published: number; closed: number } {
  return {
    published: 0,
    closed: 0,
    async publish() {
      this.published++;
      return { failed: new Map() };
    },
    async close() {
      this.closed++;
    },
  };
}

describe('a publisher made on first use (outbox/publisher-on-first-use.ts)', () => {
  test('when nothing is published, then it is never made, and closing it makes nothing', async () => {
    const make = jest.fn(async () => recording());
    const publisher = publisherOnFirstUse(make);

    await publisher.close();

    expect(make).not.toHaveBeenCalled();
  });

  test('when events are published, then it is made once, used for each publish, and closed with it', async () => {
    const made = recording();
    const make = jest.fn(async () => made);
    const publisher = publisherOnFirstUse(make);

    await Promise.all([publisher.publish([EVENT]), publisher.publish([EVENT])]);
    await publisher.close();

    expect(make).toHaveBeenCalledTimes(1);
    expect(made).toMatchObject({ published: 2, closed: 1 });
  });

  test('when making it fails, then that publish rejects and the next one tries again', async () => {
    const made = recording();
    const make = jest.fn().mockRejectedValueOnce(new Error('no SDK')).mockResolvedValue(made);
    const publisher = publisherOnFirstUse(make);

    await expect(publisher.publish([EVENT])).rejects.toThrow('no SDK');
    await publisher.publish([EVENT]);

    expect(make).toHaveBeenCalledTimes(2);
    expect(made.published).toBe(1);
  });
});
