/** The order lifecycle, in one place. */
export const ORDER_STATUSES = ['pending', 'processing', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The one forward step from each status; `cancelled` is reached only by cancelling. */
const NEXT_STATUS: Readonly<Record<OrderStatus, OrderStatus | null>> = {
  pending: 'processing',
  processing: 'shipped',
  shipped: 'delivered',
  delivered: null,
  cancelled: null,
};

const CANCELLABLE: ReadonlySet<OrderStatus> = new Set(['pending', 'processing']);

/** Statuses that PATCH /orders/:id/status may move an order in `from` to. */
export function allowedNextStatuses(from: OrderStatus): OrderStatus[] {
  const next = NEXT_STATUS[from];
  return next ? [next] : [];
}

export function canMoveTo(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT_STATUS[from] === to;
}

export function canCancel(status: OrderStatus): boolean {
  return CANCELLABLE.has(status);
}

/** A cancelled order keeps no shipment, so none may be added to it. */
export function canSetTracking(status: OrderStatus): boolean {
  return status !== 'cancelled';
}
