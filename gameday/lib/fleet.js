'use strict';
/**
 * The service's tasks behind the load balancer: the compiled service as production runs it, each
 * in a target slot. Replacing one follows ECS with minimum healthy 100%: the new task starts and
 * turns healthy before the old one is drained and stopped.
 */
const path = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');
const { ROOT } = require('../../bench/lib/databases');
const { SLOTS } = require('./haproxy');
const { startService } = require('./service-process');

const MAIN = path.join(ROOT, 'dist', 'service', 'main.js');

class Fleet {
  /** `env`: the database endpoints and what else every task shares. */
  constructor({ lb, env, dir, timing, log }) {
    this.lb = lb;
    this.log = log;
    this.env = env;
    this.dir = dir;
    this.timing = timing;
    this.tasks = new Map();
    this.launched = 0;
  }

  /** Starts a task, registers it in a free slot and waits until the load balancer routes to it. */
  async launch() {
    const name = `task-${++this.launched}`;
    const began = Date.now();
    // Taken now, before the await: tasks launched together must not share a slot.
    const slot = SLOTS.find((candidate) => !this.tasks.has(candidate));
    this.tasks.set(slot, { name, slot, starting: true });
    const server = await startService({
      name,
      script: MAIN,
      env: { ...this.env, SHUTDOWN_DRAIN_MS: String(this.timing.shutdownDrainMs) },
      logFile: path.join(this.dir, `${name}.log`),
    });
    const task = { name, slot, server, unregister: server.unregister, port: server.port };
    this.tasks.set(slot, task);
    await this.lb.register(slot, task.port);
    const readyAfter = Date.now() - began;
    await this.untilRouted(task);
    this.log(`  ${name} in ${slot}: ready after ${(readyAfter / 1000).toFixed(1)} s, routed after ${((Date.now() - began) / 1000).toFixed(1)} s`);
    return task;
  }

  async untilRouted(task) {
    for (const started = Date.now(); !(await this.lb.isUp(task.slot)); await delay(100)) {
      if (Date.now() - started > 30_000) {
        const readiness = await fetch(`${task.server.url}/health/ready`).then((r) => r.text(), (error) => error.message);
        throw new Error(`${task.name} (slot ${task.slot}) was not routed to in 30 s; its readiness says ${readiness}`);
      }
    }
  }

  /** Deregistration delay, then SIGTERM and the task's own drain. */
  async stopGracefully(task) {
    await this.lb.drain(task.slot);
    await delay(this.timing.deregistrationDelayMs);
    const began = Date.now();
    await task.server.stop();
    this.log(`  ${task.name} drained and stopped: exited ${((Date.now() - began) / 1000).toFixed(1)} s after SIGTERM`);
    await this.retire(task);
  }

  /** SIGKILL: the task vanishes mid-request, as when its host dies. */
  kill(task) {
    process.kill(task.server.pid, 'SIGKILL');
  }

  /** Waits for the health checks to take the dead task out, then frees its slot. */
  async untilOut(task) {
    for (const started = Date.now(); await this.lb.isUp(task.slot); await delay(50)) {
      if (Date.now() - started > 30_000) throw new Error(`${task.name} was not taken out in 30 s`);
    }
    await task.server.stop();
    await this.retire(task);
  }

  async retire(task) {
    await this.lb.deregister(task.slot);
    this.tasks.delete(task.slot);
    task.unregister();
  }

  list() {
    return [...this.tasks.values()].filter((task) => !task.starting);
  }
}

module.exports = { Fleet };
