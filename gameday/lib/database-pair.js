'use strict';
/**
 * A writer and a synchronous standby, as Aurora's shared storage behaves: a commit is
 * acknowledged only once the standby has it, so it survives a failover. The service reaches them
 * only through HAProxy's writer and reader endpoints and never learns which server is primary.
 */
const { setTimeout: delay } = require('node:timers/promises');
const { freePort } = require('../../bench/lib/processes');
const { onCleanup } = require('./cleanup');
const { PgServer, serverDir } = require('./pg-server');

const DATABASE = 'orders';

class DatabasePair {
  /** Two servers, `pg-a` the writer and `pg-b` its standby. */
  static async create(dir) {
    const a = new PgServer('pg-a', await serverDir(dir, 'pg-a'), await freePort());
    const b = new PgServer('pg-b', await serverDir(dir, 'pg-b'), await freePort());
    for (const server of [a, b]) onCleanup(server.name, () => server.stop('immediate').catch(() => undefined));
    await a.initPrimary();
    await a.sql(`CREATE DATABASE ${DATABASE}`);
    await b.initStandbyOf(a);
    const pair = new DatabasePair(a, b);
    await pair.untilStreaming();
    await a.setting('synchronous_standby_names', '*');
    return pair;
  }

  constructor(writer, standby) {
    this.writer = writer;
    this.standby = standby;
  }

  get servers() {
    return [this.writer, this.standby];
  }

  /** Direct to the writer, for the harness's own checks (never the service's way in). */
  writerUrl() {
    return this.writer.url(DATABASE);
  }

  /** The writer crashes: no checkpoint, every connection cut. */
  async crashWriter() {
    await this.writer.stop('immediate');
  }

  /**
   * The standby becomes the writer. It commits alone (no synchronous standby) until the old
   * writer is back as its standby: otherwise every commit would wait forever.
   */
  async promoteStandby() {
    const promoted = this.standby;
    await promoted.promote();
    await promoted.setting('synchronous_standby_names', '');
    [this.writer, this.standby] = [promoted, this.writer];
  }

  /** The crashed server comes back as a fresh copy of the new writer, then commits wait for it again. */
  async rebuildStandby() {
    await this.standby.initStandbyOf(this.writer);
    await this.untilStreaming();
    await this.writer.setting('synchronous_standby_names', '*');
  }

  async untilStreaming() {
    for (const started = Date.now(); ; await delay(100)) {
      const rows = await this.writer.sql("SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'");
      if (rows.length > 0) return;
      if (Date.now() - started > 30_000) throw new Error(`${this.standby.name} did not stream from ${this.writer.name} in 30 s`);
    }
  }

  /** How far behind the standby's replay is now, in ms: how long ago the primary committed what it last applied. */
  async replayLagMs() {
    const [row] = await this.standby.sql('SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000 AS ms');
    return Number(row.ms);
  }

  /** The standby replays `delay` behind (recovery_min_apply_delay), as a lagging replica does. */
  async delayReplay(value) {
    await this.standby.setting('recovery_min_apply_delay', value);
  }
}

module.exports = { DatabasePair, DATABASE };
