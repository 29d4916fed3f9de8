'use strict';
/**
 * Everything the game day starts registers how to stop it here, so a finished run, a failed one
 * and a Ctrl-C all leave nothing behind (no cluster, no HAProxy, no service process).
 */
const steps = [];
let running;

/**
 * Registers `stop` (async); steps run last-registered first. Returns a function that unregisters
 * it. Once cleaning up has begun, a late registrant (a process a scenario was still starting) is
 * stopped at once instead.
 */
function onCleanup(name, stop) {
  const step = { name, stop };
  if (running) {
    void Promise.resolve().then(stop).catch((error) => console.error(`cleanup: ${name} failed: ${error.message}`));
    return () => undefined;
  }
  steps.push(step);
  return () => {
    const index = steps.indexOf(step);
    if (index >= 0) steps.splice(index, 1);
  };
}

/** Runs every registered step once, newest first; a failing step is reported, the rest still run. */
function cleanUp() {
  running ??= (async () => {
    while (steps.length > 0) {
      const step = steps.pop();
      try {
        await step.stop();
      } catch (error) {
        console.error(`cleanup: ${step.name} failed: ${error.message}`);
      }
    }
  })();
  return running;
}

/** Whether cleaning up has begun: nothing new should be started then. */
function cleaningUp() {
  return running !== undefined;
}

/** SIGINT, SIGTERM and an uncaught error all clean up before the process goes. */
function cleanUpOnExit() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping everything the game day started`);
      // A step that hangs must not keep the run alive: what it failed to stop is named above.
      setTimeout(() => process.exit(130), 30_000).unref();
      void cleanUp().finally(() => process.exit(130));
    });
  }
  process.on('uncaughtException', (error) => {
    console.error(error);
    void cleanUp().finally(() => process.exit(1));
  });
}

module.exports = { onCleanup, cleanUp, cleanUpOnExit, cleaningUp };
