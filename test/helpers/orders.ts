import request from 'supertest';
import type { Express } from 'express';
import type { Order, OrderShipment } from '../../service/api-types';

/** The body existing clients send (the README's first example). */
export const README_ORDER = { products: [{ id: 9, quantity: 7 }, { id: 1, quantity: 1 }] };

export const TRACKING = { shippingProvider: 'USPS', trackingNumber: '23987239825' };

/** Creates an order through the API and returns it; fails the test unless the answer is 201. */
export async function placeOrder(app: Express, userId: number, body: object = README_ORDER): Promise<Order> {
  const res = await request(app).post('/orders').set('user_id', String(userId)).send(body);
  expect(res.status).toBe(201);
  return res.body as Order;
}

/** Moves an order forward through the given statuses, asserting each step succeeds. */
export async function advance(app: Express, userId: number, orderId: number, ...statuses: string[]): Promise<Order> {
  let order: Order | undefined;
  for (const status of statuses) {
    const res = await request(app).patch(`/orders/${orderId}/status`).set('user_id', String(userId)).send({ status });
    expect(res.status).toBe(200);
    order = res.body as Order;
  }
  return order!;
}

/** A UPS number with a valid check digit, from the carriers' shared test data. */
export const UPS_NUMBER = '1Z5R89390357567127';

/** Creates a shipment through the API and returns it; fails the test unless the answer is 201. */
export async function createShipment(app: Express, userId: number, orderId: number, body: object): Promise<OrderShipment> {
  const res = await request(app).post(`/orders/${orderId}/shipments`).set('user_id', String(userId)).send(body);
  expect(res.status).toBe(201);
  return res.body as OrderShipment;
}

/** Moves a shipment forward through the given statuses, asserting each step succeeds. */
export async function moveShipment(app: Express, userId: number, shipment: Pick<OrderShipment, 'id' | 'orderId'>, ...statuses: string[]): Promise<OrderShipment> {
  let moved: OrderShipment | undefined;
  for (const status of statuses) {
    const res = await request(app).patch(`/orders/${shipment.orderId}/shipments/${shipment.id}/status`).set('user_id', String(userId)).send({ status });
    expect(res.status).toBe(200);
    moved = res.body as OrderShipment;
  }
  return moved!;
}
