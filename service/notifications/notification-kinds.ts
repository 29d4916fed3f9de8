import type { OrderEvent } from '../api-types';

export const NOTIFICATION_KINDS = ['order_received', 'order_shipped', 'order_delivered', 'order_cancelled'] as const;
/** A kind of mail; with the event's id, the key that makes each one go out at most once. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A parcel as a `shipment.shipped` event describes it: the order's lines it carries. */
export interface Parcel {
  readonly carrier: string;
  readonly trackingNumber: string;
  /** Absent when the event does not list them (then the mail lists the whole order). */
  readonly lines: ReadonlyArray<{ readonly productId: number; readonly quantity: number }> | undefined;
}

/** The mail an event calls for; `parcel` only when the event names its own shipment. */
export interface WantedNotification {
  readonly kind: NotificationKind;
  readonly parcel?: Parcel;
}

/** The statuses whose arrival the owner hears of; the others (processing) say nothing new to them. */
const STATUS_MAILS: Readonly<Record<string, NotificationKind>> = {
  shipped: 'order_shipped',
  delivered: 'order_delivered',
};

/**
 * Which mail each event type calls for. `shipment.shipped` is the multi-shipment event (one per
 * parcel, its carrier and lines in `to`), not yet in the contract's enum; it is read here already
 * so that each parcel gets its own shipped mail once it is. Tracking being set or replaced sends
 * nothing: the shipped mail carries it.
 */
const BY_EVENT_TYPE: Readonly<Record<string, (to: Record<string, unknown>) => WantedNotification | null>> = {
  created: () => ({ kind: 'order_received' }),
  status_changed: (to) => {
    const kind = typeof to.status === 'string' ? STATUS_MAILS[to.status] : undefined;
    return kind ? { kind } : null;
  },
  cancelled: () => ({ kind: 'order_cancelled' }),
  'shipment.shipped': (to) => ({ kind: 'order_shipped', parcel: parcelOf(to) }),
};

/** The mail `event` calls for, or null when it calls for none. */
export function notificationFor(event: OrderEvent): WantedNotification | null {
  const type: string = event.type;
  return Object.hasOwn(BY_EVENT_TYPE, type) ? BY_EVENT_TYPE[type](event.to) : null;
}

/**
 * Read defensively: the event's shape is another component's. Its `trackingUrl` is ignored on
 * purpose; links are built from the carrier (tracking-links.ts), never taken from data.
 */
function parcelOf(to: Record<string, unknown>): Parcel {
  const lines = Array.isArray(to.lines)
    ? to.lines.filter((line): line is { productId: number; quantity: number } => Number.isInteger(line?.productId) && Number.isInteger(line?.quantity))
    : undefined;
  return {
    carrier: typeof to.carrier === 'string' ? to.carrier : '',
    trackingNumber: typeof to.trackingNumber === 'string' ? to.trackingNumber : '',
    lines: lines?.length ? lines : undefined,
  };
}
