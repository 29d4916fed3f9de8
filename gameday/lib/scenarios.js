'use strict';
/**
 * The faults, each injected under the clients' load. A scenario returns when it is over: the
 * fault injected, the stage whole again, and the load stopped.
 */
const { setTimeout: delay } = require('node:timers/promises');
const { Load } = require('./load');

/** Writers create, cancel and read back; browsers only read, as most shoppers do. */
const WRITERS = Array.from({ length: 12 }, (_, i) => i + 1);
const BROWSERS = Array.from({ length: 12 }, (_, i) => i + 21);

/** Runs `fault` between a warm-up and a settling period of load; returns what the load saw. */
async function underLoad(stage, fault) {
  const { timing } = stage;
  const writers = new Load({ baseUrl: stage.url, users: WRITERS, clients: WRITERS.length, pauseMs: timing.pauseMs, writes: true });
  const browsers = new Load({ baseUrl: stage.url, users: BROWSERS, clients: BROWSERS.length, pauseMs: timing.pauseMs, writes: false });
  const startedAt = Date.now();
  writers.start();
  browsers.start();
  try {
    await delay(timing.warmupMs);
    const faultAt = Date.now();
    const outcome = (await fault({ writers, browsers })) ?? {};
    await delay(timing.settleMs);
    return { startedAt, faultAt, recoveredAt: Date.now(), ...outcome, writers, browsers };
  } finally {
    await Promise.all([writers.stop(), browsers.stop()]);
    writers.close();
    browsers.close();
  }
}

const SCENARIOS = [
  {
    name: 'Rolling deploy',
    fault: 'each task drained, SIGTERM, replaced (min healthy 100%)',
    async run(stage) {
      return underLoad(stage, async () => {
        for (const old of stage.fleet.list()) {
          await stage.fleet.launch();
          await stage.fleet.stopGracefully(old);
        }
        return { recoveredAt: Date.now() };
      });
    },
  },
  {
    name: 'Crash',
    fault: 'SIGKILL one task; replaced',
    async run(stage) {
      return underLoad(stage, async () => {
        const victim = stage.fleet.list()[0];
        stage.fleet.kill(victim);
        await stage.fleet.untilOut(victim);
        await stage.fleet.launch();
        return { recoveredAt: Date.now() };
      });
    },
  },
  {
    name: 'Database failover',
    fault: 'writer killed (immediate), standby promoted, endpoint moved, old writer rebuilt',
    async run(stage) {
      const pids = stage.fleet.list().map((task) => task.server.pid);
      const outcome = await underLoad(stage, async () => {
        const { pair, lb } = stage;
        const [oldWriter, standby] = pair.servers;
        await pair.crashWriter();
        await pair.promoteStandby();
        await lb.pointEndpoint('writer', standby.name, [oldWriter.name]);
        await pair.rebuildStandby();
        await lb.pointEndpoint('reader', oldWriter.name, [standby.name]);
        // So does the worker's database failing in that window.
        return { recoveredAt: Date.now(), mailWindows: 1 };
      });
      outcome.restarted = stage.fleet.list().filter((task) => !pids.includes(task.server.pid)).length;
      return outcome;
    },
  },
  {
    name: 'Lagging reader',
    fault: 'standby replays 1 s behind (recovery_min_apply_delay)',
    async run(stage) {
      try {
        return await underLoad(stage, async () => {
          await stage.pair.delayReplay('1s');
          // Under steady writes the last replayed commit is about the delay old: proof the lag is real.
          await delay(stage.timing.lagMs / 2);
          const lagMs = await stage.pair.replayLagMs();
          await delay(stage.timing.lagMs / 2);
          return { lagMs };
        });
      } finally {
        await stage.pair.delayReplay('0');
      }
    },
  },
  {
    name: 'Async crash',
    fault: 'SIGKILL the worker, then the relay; replaced',
    async run(stage) {
      return underLoad(stage, async () => {
        await stage.pipeline.killAndReplace('worker');
        await delay(stage.timing.warmupMs);
        await stage.pipeline.killAndReplace('relay');
        // The worker killed between a mail's send and its COMMIT repeats that mail (docs/notifications.md).
        return { recoveredAt: Date.now(), mailWindows: 1 };
      });
    },
  },
];

module.exports = { SCENARIOS };
