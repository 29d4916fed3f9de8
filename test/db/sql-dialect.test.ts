import { postgresDialect } from '../../service/db/postgres/postgres-dialect';
import { sqliteDialect } from '../../service/db/sqlite/sqlite-dialect';

describe('reading a timestamp column as the contract shows it', () => {
  const at = new Date('2026-11-26T10:15:30.042Z');

  test('when SQLite holds it as written, then the text is what a Date would print, without making one', () => {
    const stored = sqliteDialect.timestamp(at);

    expect(stored).toBe('2026-11-26 10:15:30.042');
    expect(sqliteDialect.readInstant(stored)).toBe(at.toISOString());
  });

  test.each([
    ['without milliseconds', '2026-11-26 10:15:30', '2026-11-26T10:15:30.000Z'],
    ['in ISO form without a zone', '2026-11-26T10:15:30.042', '2026-11-26T10:15:30.042Z'],
    ['with an offset', '2026-11-26T12:15:30.042+02:00', '2026-11-26T10:15:30.042Z'],
  ])('when SQLite holds it %s, then it is read through a Date as TypeORM reads it', (_form, stored, expected) => {
    expect(sqliteDialect.readInstant(stored)).toBe(expected);
    expect(sqliteDialect.readInstant(stored)).toBe(sqliteDialect.readTimestamp(stored).toISOString());
  });

  test('when the driver already made a Date (PostgreSQL), then its ISO text', () => {
    expect(postgresDialect.readInstant(at)).toBe('2026-11-26T10:15:30.042Z');
    expect(sqliteDialect.readInstant(at)).toBe('2026-11-26T10:15:30.042Z');
  });
});
