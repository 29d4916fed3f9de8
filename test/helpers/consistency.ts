/** SQL with `?` placeholders, returning rows: a TestApp's or TestDatabase's `query`. */
type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * The database's invariants, each a query counting the rows that break it. Whatever a request
 * does, or wherever a crash cuts it, every count must stay 0.
 */
const INVARIANTS: Record<string, string> = {
  'every order has at least one line': `SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)`,
  'every total equals the sum of its lines': `SELECT COUNT(*) FROM orders o WHERE o.total <> (SELECT COALESCE(SUM(l.quantity * l.unit_price), 0) FROM order_lines l WHERE l.order_id = o.id)`,
  'stock is never negative': `SELECT COUNT(*) FROM products WHERE stock < 0`,
  'no line without its order': `SELECT COUNT(*) FROM order_lines l WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = l.order_id)`,
  'no shipment without its order': `SELECT COUNT(*) FROM shipments s WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = s.order_id)`,
  'a cancelled order has no shipment that is not cancelled': `SELECT COUNT(*) FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.status = 'cancelled' AND s.status <> 'cancelled'`,
  'no order line is in shipments for more than was ordered': `SELECT COUNT(*) FROM order_lines l WHERE l.quantity < (SELECT COALESCE(SUM(sl.quantity), 0) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id WHERE sl.order_line_id = l.id AND s.status <> 'cancelled')`,
  'a shipped or delivered order has shipped every unit': `SELECT COUNT(*) FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.status IN ('shipped', 'delivered') AND l.quantity > (SELECT COALESCE(SUM(sl.quantity), 0) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id WHERE sl.order_line_id = l.id AND s.status IN ('shipped', 'delivered'))`,
  'every order has its created event': `SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.type = 'created')`,
  "an order's version counts its events": `SELECT COUNT(*) FROM orders o WHERE o.version <> (SELECT COUNT(*) FROM order_events e WHERE e.order_id = o.id)`,
};

export const INVARIANT_COUNT = Object.keys(INVARIANTS).length + 1;

/** Stock of each product now, to check conservation against later. */
export async function stockLevels(query: Query): Promise<Map<number, number>> {
  const rows = await query<{ id: number; stock: number }>('SELECT id, stock FROM products');
  return new Map(rows.map((row) => [Number(row.id), Number(row.stock)]));
}

/**
 * The names of the invariants the database breaks now. With `initialStock`, also that for every
 * product the stock left plus the units held by orders that are not cancelled is what there was.
 */
export async function brokenInvariants(query: Query, initialStock?: Map<number, number>): Promise<string[]> {
  const broken: string[] = [];
  for (const [name, sql] of Object.entries(INVARIANTS)) {
    const [row] = await query<Record<string, unknown>>(sql.replace('SELECT COUNT(*)', 'SELECT CAST(COUNT(*) AS INTEGER) AS n'));
    if (Number(row.n) !== 0) broken.push(`${name} (${row.n} rows)`);
  }
  if (initialStock) {
    const rows = await query<{ id: number; stock: number; held: number }>(`
      SELECT p.id, p.stock, CAST(COALESCE((SELECT SUM(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
                                           WHERE l.product_id = p.id AND o.status <> 'cancelled'), 0) AS INTEGER) AS held
        FROM products p`);
    const off = rows.filter((row) => initialStock.has(Number(row.id)) && Number(row.stock) + Number(row.held) !== initialStock.get(Number(row.id)));
    if (off.length) broken.push(`stock plus units held equals the starting stock (products ${off.map((row) => row.id).join(', ')})`);
  }
  return broken;
}
