import { createOrderClient } from './order-client';

/** Creates an order as user 1, adds tracking, moves it to processing, then cancels it. */
export async function orderLifecycleExample(baseUrl = 'http://localhost:3000') {
  const orders = createOrderClient({ baseUrl, userId: 1 });

  // data is the contract's Order, error its Problem: both typed from openapi.yaml.
  const { data: order, error } = await orders.POST('/orders', {
    body: { products: [{ id: 9, quantity: 7 }, { id: 1, quantity: 1 }] },
  });
  if (error) throw new Error(`${error.status} ${error.title}: ${error.detail}`);
  const path = { id: order.id };

  await orders.PATCH('/orders/{id}/tracking', {
    params: { path },
    body: { shippingProvider: 'USPS', trackingNumber: '23987239825' },
  });
  await orders.PATCH('/orders/{id}/status', { params: { path }, body: { status: 'processing' } });
  const cancelled = await orders.PATCH('/orders/{id}/cancel', { params: { path } });
  return cancelled.data; // status 'cancelled', shipment null
}
