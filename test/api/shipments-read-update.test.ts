import request from 'supertest';
import type { Order, OrderShipment } from '../../service/api-types';
import { createShipment, moveShipment, placeOrder, UPS_NUMBER } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('reading and correcting shipments', () => {
  let t: TestApp;
  let order: Order;
  let shipment: OrderShipment;
  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(async () => {
    order = await placeOrder(t.app, 1);
    shipment = await createShipment(t.app, 1, order.id, { lines: [{ orderLineId: order.products[0].id, quantity: 2 }] });
  });
  afterAll(() => t.close());

  const patch = (body: object, { id = shipment.id, user = '1' } = {}) =>
    request(t.app).patch(`/orders/${order.id}/shipments/${id}`).set('user_id', user).send(body);
  const version = async () => (await t.query<{ version: number }>('SELECT version FROM orders WHERE id = ?', [order.id]))[0].version;

  describe('GET /orders/:id/shipments and /orders/:id/shipments/:shipmentId', () => {
    test('when the owner reads them, then the list and the one carry the order\'s version as ETag, and a matching If-None-Match gets 304', async () => {
      const list = await request(t.app).get(`/orders/${order.id}/shipments`).set('user_id', '1');
      const one = await request(t.app).get(`/orders/${order.id}/shipments/${shipment.id}`).set('user_id', '1');
      const unchangedList = await request(t.app).get(`/orders/${order.id}/shipments`).set('user_id', '1').set('If-None-Match', list.headers.etag);
      const unchangedOne = await request(t.app).get(`/orders/${order.id}/shipments/${shipment.id}`).set('user_id', '1').set('If-None-Match', '"2"');

      expect([list.status, one.status, unchangedList.status, unchangedOne.status]).toEqual([200, 200, 304, 304]);
      expect(list.body).toEqual({ data: [shipment] });
      expect(one.body).toEqual(shipment);
      expect([list.headers.etag, one.headers.etag]).toEqual(['"2"', '"2"']);
    });

    test('when the shipment is another order\'s or the order someone else\'s, then 404; without credentials 401; a bad id 400', async () => {
      const other = await placeOrder(t.app, 1);
      const get = (path: string, user?: string) => (user ? request(t.app).get(path).set('user_id', user) : request(t.app).get(path));

      const statuses = await Promise.all([
        get(`/orders/${other.id}/shipments/${shipment.id}`, '1'),
        get(`/orders/${order.id}/shipments/${shipment.id}`, '2'),
        get(`/orders/${order.id}/shipments`, '2'),
        get(`/orders/${order.id}/shipments/${shipment.id}`),
        get(`/orders/${order.id}/shipments`),
        get(`/orders/${order.id}/shipments/x`, '1'),
        get(`/orders/x/shipments`, '1'),
      ]);

      expect(statuses.map((res) => res.status)).toEqual([404, 404, 404, 401, 401, 400, 400]);
    });
  });

  describe('PATCH /orders/:id/shipments/:shipmentId', () => {
    test('when a carrier and its number are set, then answers 200 with the tracking URL built from the carrier\'s template', async () => {
      const res = await patch({ carrier: 'FedEx', trackingNumber: '986578788855' });

      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"3"');
      expect(res.body).toMatchObject({ carrier: 'FedEx', carrierName: 'FedEx', trackingNumber: '986578788855', trackingUrl: 'https://www.fedex.com/fedextrack/?trknbr=986578788855' });
    });

    test('when a shipped shipment\'s number is corrected, then the event says what it was; sending the same again changes nothing', async () => {
      await patch({ carrier: 'UPS', trackingNumber: '1Z879E930346834440' });
      await moveShipment(t.app, 1, shipment, 'shipped');

      const corrected = await patch({ trackingNumber: UPS_NUMBER });
      const same = await patch({ carrier: 'UPS', trackingNumber: UPS_NUMBER });
      const events = (await request(t.app).get(`/orders/${order.id}/events`).set('user_id', '1')).body.data;

      expect([corrected.status, same.status, same.headers.etag]).toEqual([200, 200, corrected.headers.etag]);
      expect(events.at(-1)).toMatchObject({
        type: 'shipment.updated',
        from: { shipment: { carrier: 'UPS', trackingNumber: '1Z879E930346834440' } },
        to: { shipment: { status: 'shipped', trackingNumber: UPS_NUMBER } },
      });
    });

    test('when the new number is not the carrier\'s, or a number comes without one, then answers 422 and nothing changes', async () => {
      const wrong = await patch({ carrier: 'DHL', trackingNumber: '12' });
      const noCarrier = await patch({ trackingNumber: UPS_NUMBER });

      expect([wrong.status, noCarrier.status]).toEqual([422, 422]);
      expect(wrong.body.errors).toEqual([{ path: '/body/trackingNumber', message: 'not a DHL tracking number' }]);
      expect(await version()).toBe(2);
    });

    test('when the shipment is cancelled, then answers 409 and it keeps what it had', async () => {
      await request(t.app).patch(`/orders/${order.id}/shipments/${shipment.id}/cancel`).set('user_id', '1');

      const res = await patch({ carrier: 'UPS', trackingNumber: UPS_NUMBER });

      expect(res.status).toBe(409);
      expect(res.body.type).toBe('urn:order-service:problem:shipment-cancelled');
    });

    test('when the body is empty or the shipment unknown or the caller a stranger or nobody or the version stale, then 400, 404, 404, 401, 412', async () => {
      const statuses = [
        (await patch({})).status,
        (await patch({ carrier: 'UPS' }, { id: 999_999 })).status,
        (await patch({ carrier: 'UPS' }, { user: '2' })).status,
        (await request(t.app).patch(`/orders/${order.id}/shipments/${shipment.id}`).send({ carrier: 'UPS' })).status,
        (await patch({ carrier: 'UPS' }).set('If-Match', '"1"')).status,
      ];

      expect(statuses).toEqual([400, 404, 404, 401, 412]);
      expect(await version()).toBe(2);
    });
  });
});
