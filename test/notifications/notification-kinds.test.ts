import type { OrderEvent } from '../../service/api-types';
import { notificationFor } from '../../service/notifications/notification-kinds';

function event(type: string, to: Record<string, unknown>, from: Record<string, unknown> | null = null): OrderEvent {
  return { id: 1, orderId: 1, userId: 1, orderVersion: 2, type: type as OrderEvent['type'], actorUserId: 1, occurredAt: '2026-12-03T10:00:00.000Z', from, to };
}

describe('which mail an order event calls for', () => {
  test.each([
    ['created', {}, 'order_received'],
    ['status_changed', { status: 'shipped' }, 'order_shipped'],
    ['status_changed', { status: 'delivered' }, 'order_delivered'],
    ['cancelled', { status: 'cancelled', shipment: null }, 'order_cancelled'],
    ['status_changed', { status: 'processing' }, null],
    ['tracking_set', { shipment: { shippingProvider: 'USPS', trackingNumber: '1' } }, null],
    ['tracking_replaced', { shipment: { shippingProvider: 'UPS', trackingNumber: '2' } }, null],
    ['refunded', {}, null],
    ['toString', {}, null],
  ])('when the event is %s to %j, then the mail is %s', (type, to, kind) => {
    expect(notificationFor(event(type, to))?.kind ?? null).toBe(kind);
  });

  test('when a shipment.shipped event names its parcel, then the shipped mail is about that parcel and ignores its trackingUrl', () => {
    const wanted = notificationFor(
      event('shipment.shipped', {
        shipment: {
          carrier: 'DHL',
          carrierName: 'DHL',
          trackingNumber: '3318810025',
          trackingUrl: 'https://evil.example.com/track',
          lines: [{ orderLineId: 1, productId: 9, quantity: 3 }, { orderLineId: 2, productId: 'x', quantity: 1 }],
        },
        fulfilment: 'partially_shipped',
        orderStatus: 'processing',
      }),
    );

    expect(wanted).toEqual({ kind: 'order_shipped', parcel: { carrier: 'DHL', trackingNumber: '3318810025', lines: [{ orderLineId: 1, productId: 9, quantity: 3 }] } });
  });

  test('when a shipment.shipped event lists no lines, then the mail lists the whole order', () => {
    expect(notificationFor(event('shipment.shipped', { shipment: { carrier: 'UPS', trackingNumber: '1Z' } }))?.parcel?.lines).toBeUndefined();
  });

  test.each([
    ['delivered', 'order_delivered'],
    ['shipped', null],
  ])('when a shipment.delivered event leaves the order %s, then the mail is %s', (orderStatus, kind) => {
    expect(notificationFor(event('shipment.delivered', { shipment: { status: 'delivered' }, fulfilment: 'shipped', orderStatus }))?.kind ?? null).toBe(kind);
  });
});
