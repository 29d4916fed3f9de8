import type { CreateShipmentRequest, Order } from '../api-types';
import { remainingByLine } from './fulfilment';
import { DuplicateOrderLinesError, QuantityUnavailableError, type Shortfall, UnknownOrderLinesError } from './shipment-errors';

/**
 * Checks a new shipment's lines against the order as read under its row lock: each names one of
 * the order's lines, once, for no more than that line has left outside the other shipments that
 * are not cancelled. Throws the first kind of problem found, listing every line with it.
 */
export function checkShipmentLines(order: Order, lines: CreateShipmentRequest['lines']): void {
  const seen = new Set<number>();
  const duplicates = lines.flatMap(({ orderLineId: id }, index) => (seen.has(id) ? [{ index, id }] : (seen.add(id), [])));
  if (duplicates.length) throw new DuplicateOrderLinesError(duplicates);

  const remaining = remainingByLine(order.products, order.shipments);
  const unknown = lines.flatMap(({ orderLineId: id }, index) => (remaining.has(id) ? [] : [{ index, id }]));
  if (unknown.length) throw new UnknownOrderLinesError(order.id, unknown);

  const short: Shortfall[] = lines.flatMap(({ orderLineId, quantity }) => {
    const left = remaining.get(orderLineId)!;
    return quantity > left ? [{ orderLineId, requested: quantity, remaining: left }] : [];
  });
  if (short.length) throw new QuantityUnavailableError(short);
}

/** Every unit of the order that is in no shipment yet, line by line. */
export function unallocatedLines(order: Order): Array<{ orderLineId: number; quantity: number }> {
  return [...remainingByLine(order.products, order.shipments)]
    .filter(([, quantity]) => quantity > 0)
    .map(([orderLineId, quantity]) => ({ orderLineId, quantity }));
}
