import { createOrderClient } from './order-client';

/** Creates an order as user 1, adds tracking, moves it to processing, then cancels it. */
export async function orderLifecycleExample(baseUrl = 'http://localhost:3000') {
  const orders = createOrderClient({ baseUrl, userId: 1 });

  // data is the contract's Order, error its Problem: both typed from openapi.yaml.
  const order = dataOf(
    await orders.POST('/orders', { body: { products: [{ id: 9, quantity: 7 }, { id: 1, quantity: 1 }] } }),
  );
  const path = { id: order.id };

  dataOf(
    await orders.PATCH('/orders/{id}/tracking', {
      params: { path },
      body: { shippingProvider: 'USPS', trackingNumber: '23987239825' },
    }),
  );
  dataOf(await orders.PATCH('/orders/{id}/status', { params: { path }, body: { status: 'processing' } }));
  return dataOf(await orders.PATCH('/orders/{id}/cancel', { params: { path } })); // status 'cancelled', shipment null
}

/** The answer's body, or the problem the service answered with as an Error. */
function dataOf<T>(result: { data?: T; error?: { status: number; title: string; detail?: string } }): T {
  if (result.error) throw new Error(`${result.error.status} ${result.error.title}: ${result.error.detail}`);
  return result.data as T;
}
