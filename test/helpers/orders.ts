import request from 'supertest';
import type { Express } from 'express';
import type { Order } from '../../service/api-types';

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
