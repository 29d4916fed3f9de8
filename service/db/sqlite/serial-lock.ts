/**
 * Runs async tasks one at a time, in arrival order. TypeORM's SQLite drivers share a single
 * connection, so two interleaved transactions would nest ("cannot start a transaction within a
 * transaction") and a read could see another request's uncommitted rows.
 */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one whether it succeeds or fails.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
