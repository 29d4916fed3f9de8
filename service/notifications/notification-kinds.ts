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
 * Which mail each event type calls for. Each parcel that ships (`shipment.shipped`, its shipment
 * in `to.shipment`) gets its own shipped mail; the order's delivery is the delivered mail, whether
 * it came with the last parcel (`shipment.delivered` leaving the order delivered) or by a status
 * change. Tracking being set or replaced sends nothing: the shipped mail carries it.
 */
const BY_EVENT_TYPE: Readonly<Record<string, (to: Record<string, unknown>) => WantedNotification | null>> = {
  created: () => ({ kind: 'order_received' }),
  status_changed: (to) => {
    const kind = typeof to.status === 'string' ? STATUS_MAILS[to.status] : undefined;
    return kind ? { kind } : null;
  },
  cancelled: () => ({ kind: 'order_cancelled' }),
  'shipment.shipped': (to) => ({ kind: 'order_shipped', parcel: parcelOf(to.shipment) }),
  'shipment.delivered': (to) => (to.orderStatus === 'delivered' ? { kind: 'order_delivered' } : null),
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
function parcelOf(value: unknown): Parcel {
  const shipment = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const lines = Array.isArray(shipment.lines)
    ? shipment.lines.filter((line): line is { productId: number; quantity: number } => Number.isInteger(line?.productId) && Number.isInteger(line?.quantity))
    : undefined;
  // The carrier's own name (`other` carriers have only that), else its code.
  const carrier = typeof shipment.carrierName === 'string' ? shipment.carrierName : shipment.carrier;
  return {
    carrier: typeof carrier === 'string' ? carrier : '',
    trackingNumber: typeof shipment.trackingNumber === 'string' ? shipment.trackingNumber : '',
    lines: lines?.length ? lines : undefined,
  };
}
