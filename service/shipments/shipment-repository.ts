import type { EntityManager } from 'typeorm';
import type { Carrier, OrderShipment, ShipmentStatus } from '../api-types';
import { changeRows, dialectOf, placeholders, selectRows } from '../db/sql';
import type { SqlDialect } from '../db/sql-dialect';
import { trackingUrl } from './carriers';

/** A shipment's carrier as stored: its code, the name it shows, its tracking number. */
export interface Tracking {
  readonly carrier: Carrier | null;
  readonly carrierName: string | null;
  readonly trackingNumber: string | null;
}

export interface NewShipment extends Tracking {
  readonly orderId: number;
  readonly lines: ReadonlyArray<{ orderLineId: number; quantity: number }>;
  readonly at: Date;
}

const SHIPMENT_COLUMNS =
  's.id, s.order_id, s.status, s.carrier, s.shipping_provider, s.tracking_number, s.created_at, s.updated_at, ' +
  's.shipped_at, s.delivered_at, s.cancelled_at, sl.order_line_id, l.product_id, sl.quantity';

/** The shipments of some orders with their lines, one row per line, in order, shipment and line id order. */
function findShipmentsSql(count: number): string {
  return (
    `SELECT ${SHIPMENT_COLUMNS} FROM "shipments" s ` +
    'LEFT JOIN "shipment_lines" sl ON sl.shipment_id = s.id LEFT JOIN "order_lines" l ON l.id = sl.order_line_id ' +
    `WHERE s.order_id IN (${placeholders(count)}) ORDER BY s.order_id, s.id, sl.order_line_id`
  );
}

const INSERT_SHIPMENT =
  'INSERT INTO "shipments" (order_id, status, carrier, shipping_provider, tracking_number, created_at, updated_at) ' +
  "VALUES (?, 'pending', ?, ?, ?, ?, ?) RETURNING id";
const UPDATE_TRACKING = 'UPDATE "shipments" SET carrier = ?, shipping_provider = ?, tracking_number = ?, updated_at = ? WHERE id = ?';
/** Each status a shipment moves to stamps when it did; one statement text per status. */
const MOVE_TO: Readonly<Record<Exclude<ShipmentStatus, 'pending'>, string>> = {
  shipped: `UPDATE "shipments" SET status = 'shipped', shipped_at = ?, updated_at = ? WHERE id = ?`,
  delivered: `UPDATE "shipments" SET status = 'delivered', delivered_at = ?, updated_at = ? WHERE id = ?`,
  cancelled: `UPDATE "shipments" SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?`,
};

function insertLinesSql(count: number): string {
  return `INSERT INTO "shipment_lines" (shipment_id, order_id, order_line_id, quantity) VALUES ${Array.from({ length: count }, () => '(?, ?, ?, ?)').join(', ')}`;
}

interface ShipmentRow {
  id: number;
  order_id: number;
  status: ShipmentStatus;
  carrier: Carrier | null;
  shipping_provider: string | null;
  tracking_number: string | null;
  created_at: unknown;
  updated_at: unknown;
  shipped_at: unknown;
  delivered_at: unknown;
  cancelled_at: unknown;
  order_line_id: number | null;
  product_id: number | null;
  quantity: number | null;
}

/** The shipments of each of these orders, oldest first (an order without any maps to none). */
export async function findShipmentsOfOrders(manager: EntityManager, orderIds: readonly number[]): Promise<Map<number, OrderShipment[]>> {
  const byOrder = new Map<number, OrderShipment[]>(orderIds.map((id) => [id, []]));
  if (!orderIds.length) return byOrder;
  const dialect = dialectOf(manager);
  const rows = await selectRows<ShipmentRow>(manager, findShipmentsSql(orderIds.length), [...orderIds]);
  let current: OrderShipment | undefined;
  for (const row of rows) {
    if (current?.id !== row.id) {
      current = toShipment(row, dialect);
      byOrder.get(row.order_id)!.push(current);
    }
    if (row.order_line_id !== null) current.lines.push({ orderLineId: row.order_line_id, productId: row.product_id!, quantity: row.quantity! });
  }
  return byOrder;
}

function toShipment(row: ShipmentRow, dialect: SqlDialect): OrderShipment {
  const instant = (value: unknown) => (value === null || value === undefined ? null : dialect.readInstant(value));
  return {
    id: row.id,
    orderId: row.order_id,
    status: row.status,
    carrier: row.carrier,
    carrierName: row.shipping_provider,
    trackingNumber: row.tracking_number,
    trackingUrl: trackingUrl(row.carrier, row.tracking_number),
    lines: [],
    createdAt: instant(row.created_at)!,
    updatedAt: instant(row.updated_at)!,
    shippedAt: instant(row.shipped_at),
    deliveredAt: instant(row.delivered_at),
    cancelledAt: instant(row.cancelled_at),
  };
}

/** Inserts a pending shipment with its lines; returns its id. Call inside a write transaction. */
export async function insertShipment(manager: EntityManager, shipment: NewShipment): Promise<number> {
  const at = dialectOf(manager).timestamp(shipment.at);
  const [{ id }] = await selectRows<{ id: number }>(manager, INSERT_SHIPMENT, [
    shipment.orderId,
    shipment.carrier,
    shipment.carrierName,
    shipment.trackingNumber,
    at,
    at,
  ]);
  await changeRows(
    manager,
    insertLinesSql(shipment.lines.length),
    shipment.lines.flatMap((line) => [id, shipment.orderId, line.orderLineId, line.quantity]),
  );
  return id;
}

export async function updateTracking(manager: EntityManager, shipmentId: number, tracking: Tracking, at: Date): Promise<void> {
  const stamp = dialectOf(manager).timestamp(at);
  await changeRows(manager, UPDATE_TRACKING, [tracking.carrier, tracking.carrierName, tracking.trackingNumber, stamp, shipmentId]);
}

/** Moves the shipment to `status` and stamps when. */
export async function moveShipment(manager: EntityManager, shipmentId: number, status: Exclude<ShipmentStatus, 'pending'>, at: Date): Promise<void> {
  const stamp = dialectOf(manager).timestamp(at);
  await changeRows(manager, MOVE_TO[status], [stamp, stamp, shipmentId]);
}
