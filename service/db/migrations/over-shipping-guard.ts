import type { QueryRunner } from 'typeorm';

/**
 * The database's own refusal to put an order line in shipments (not cancelled) for more than was
 * ordered: a second line of defence behind the service, which checks it under the order's row
 * lock. Each engine has its own trigger language; the message names the constraint either way.
 */
const MESSAGE = 'shipment_lines_within_ordered constraint: an order line would be in shipments for more than was ordered';

/** Units of order line `line` held by shipments that are not cancelled, and what was ordered of it. */
const HELD = (line: string) =>
  `(SELECT COALESCE(SUM(sl.quantity), 0) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id WHERE sl.order_line_id = ${line} AND s.status <> 'cancelled')`;
const ORDERED = (line: string) => `(SELECT quantity FROM order_lines WHERE id = ${line})`;

const SQLITE_UP = [
  `CREATE TRIGGER shipment_lines_within_ordered_insert AFTER INSERT ON shipment_lines
     WHEN ${HELD('NEW.order_line_id')} > ${ORDERED('NEW.order_line_id')}
     BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`,
  `CREATE TRIGGER shipment_lines_within_ordered_update AFTER UPDATE OF quantity, order_line_id ON shipment_lines
     WHEN ${HELD('NEW.order_line_id')} > ${ORDERED('NEW.order_line_id')}
     BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`,
  // A cancelled shipment's units are free; bringing it back must not take them twice.
  `CREATE TRIGGER shipments_within_ordered_uncancel AFTER UPDATE OF status ON shipments
     WHEN OLD.status = 'cancelled' AND NEW.status <> 'cancelled'
      AND EXISTS (SELECT 1 FROM shipment_lines n WHERE n.shipment_id = NEW.id AND ${HELD('n.order_line_id')} > ${ORDERED('n.order_line_id')})
     BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`,
];

/**
 * On PostgreSQL the function locks the order lines it checks before counting, so that even two
 * writers that bypass the service's order lock count one after the other (each statement of a
 * READ COMMITTED function sees what was committed before it began).
 */
const POSTGRES_UP = [
  `CREATE FUNCTION shipment_lines_within_ordered() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE line record;
   BEGIN
     FOR line IN
       SELECT l.id, l.quantity FROM order_lines l
        WHERE l.id IN (SELECT sl.order_line_id FROM shipment_lines sl
                        WHERE CASE WHEN TG_TABLE_NAME = 'shipments' THEN sl.shipment_id ELSE sl.id END = NEW.id)
        ORDER BY l.id FOR UPDATE OF l
     LOOP
       IF ${HELD('line.id')} > line.quantity THEN
         RAISE EXCEPTION '${MESSAGE} (order line %)', line.id
           USING ERRCODE = 'check_violation', CONSTRAINT = 'shipment_lines_within_ordered';
       END IF;
     END LOOP;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER shipment_lines_within_ordered AFTER INSERT OR UPDATE OF quantity, order_line_id ON shipment_lines
     FOR EACH ROW EXECUTE FUNCTION shipment_lines_within_ordered()`,
  `CREATE TRIGGER shipments_within_ordered_uncancel AFTER UPDATE OF status ON shipments
     FOR EACH ROW WHEN (OLD.status = 'cancelled' AND NEW.status <> 'cancelled') EXECUTE FUNCTION shipment_lines_within_ordered()`,
];

const SQLITE_DOWN = [
  'DROP TRIGGER IF EXISTS shipments_within_ordered_uncancel',
  'DROP TRIGGER IF EXISTS shipment_lines_within_ordered_update',
  'DROP TRIGGER IF EXISTS shipment_lines_within_ordered_insert',
];
const POSTGRES_DOWN = [
  'DROP TRIGGER IF EXISTS shipments_within_ordered_uncancel ON shipments',
  'DROP TRIGGER IF EXISTS shipment_lines_within_ordered ON shipment_lines',
  'DROP FUNCTION IF EXISTS shipment_lines_within_ordered()',
];

function onPostgres(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.driver.options.type === 'postgres';
}

export async function createOverShippingGuard(queryRunner: QueryRunner): Promise<void> {
  for (const statement of onPostgres(queryRunner) ? POSTGRES_UP : SQLITE_UP) await queryRunner.query(statement);
}

export async function dropOverShippingGuard(queryRunner: QueryRunner): Promise<void> {
  for (const statement of onPostgres(queryRunner) ? POSTGRES_DOWN : SQLITE_DOWN) await queryRunner.query(statement);
}
