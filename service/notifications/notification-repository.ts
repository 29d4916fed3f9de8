import type { EntityManager } from 'typeorm';
import { changeRows, dialectOf, selectRows } from '../db/sql';
import type { NotificationKind } from './notification-kinds';

/** An order as its mails need it: its owner's address and name, its lines with product names, its parcel. */
export interface OrderForMail {
  readonly orderId: number;
  readonly userId: number;
  readonly userName: string;
  /** Null: the owner has no address, and nothing can be sent. */
  readonly email: string | null;
  readonly currency: string;
  readonly total: number;
  readonly lines: ReadonlyArray<{ productId: number; productName: string; quantity: number; unitPrice: number }>;
  readonly shipment: { readonly carrier: string; readonly trackingNumber: string } | null;
}

const FIND_ORDER_FOR_MAIL =
  'SELECT o.id, o.user_id, o.currency, o.total, u.name AS user_name, u.email, ' +
  'l.product_id, p.name AS product_name, l.quantity, l.unit_price, s.shipping_provider, s.tracking_number ' +
  'FROM "orders" o JOIN "users" u ON u.id = o.user_id ' +
  'JOIN "order_lines" l ON l.order_id = o.id JOIN "products" p ON p.id = l.product_id ' +
  'LEFT JOIN "shipments" s ON s.order_id = o.id WHERE o.id = ? ORDER BY l.id';

interface OrderMailRow {
  id: number;
  user_id: number;
  currency: string;
  total: number | string;
  user_name: string;
  email: string | null;
  product_id: number;
  product_name: string;
  quantity: number;
  unit_price: number;
  shipping_provider: string | null;
  tracking_number: string | null;
}

/** The order as it is now (every order has at least one line), or null when there is none. */
export async function findOrderForMail(manager: EntityManager, orderId: number): Promise<OrderForMail | null> {
  const rows = await selectRows<OrderMailRow>(manager, FIND_ORDER_FOR_MAIL, [orderId]);
  if (rows.length === 0) return null;
  const [first] = rows;
  return {
    orderId: first.id,
    userId: first.user_id,
    userName: first.user_name,
    email: first.email,
    currency: first.currency,
    // BIGINT: pg returns it as a string; our amounts stay far below 2^53.
    total: Number(first.total),
    lines: rows.map((row) => ({ productId: row.product_id, productName: row.product_name, quantity: row.quantity, unitPrice: row.unit_price })),
    shipment: first.shipping_provider === null ? null : { carrier: first.shipping_provider, trackingNumber: first.tracking_number! },
  };
}

export type NotificationRecord = {
  readonly eventId: number;
  readonly kind: NotificationKind;
  readonly userId: number;
  readonly at: Date;
} & ({ readonly status: 'sent'; readonly recipient: string } | { readonly status: 'skipped'; readonly reason: string });

const CLAIM =
  'INSERT INTO "notifications" (event_id, kind, user_id, recipient, status, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (event_id, kind) DO NOTHING';

/**
 * Records the notification of (event, kind) in the caller's transaction; false when one is already
 * recorded, and then nothing may be sent. On PostgreSQL a second transaction claiming the same key
 * waits on the unique index until the first ends, then finds its row (or takes the key, if the
 * first rolled back), so two deliveries handled at once send one mail.
 */
export async function claimNotification(manager: EntityManager, record: NotificationRecord): Promise<boolean> {
  const [recipient, reason] = record.status === 'sent' ? [record.recipient, null] : [null, record.reason];
  const parameters = [record.eventId, record.kind, record.userId, recipient, record.status, reason, dialectOf(manager).timestamp(record.at)];
  return (await changeRows(manager, CLAIM, parameters)) === 1;
}

/** Stores the transport's id of the mail that was sent for (event, kind). */
export async function recordMessageId(manager: EntityManager, eventId: number, kind: NotificationKind, messageId: string): Promise<void> {
  await changeRows(manager, 'UPDATE "notifications" SET message_id = ? WHERE event_id = ? AND kind = ?', [messageId, eventId, kind]);
}
