'use strict';
/** Runs external commands (podman, docker, compose, curl, rig.sh) and shows each one as it goes. */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { say } = require('./report');

/**
 * Runs `command args` and resolves with { code, stdout, stderr }. Rejects on a non-zero exit
 * unless `allowFailure`. `logFile` receives the output instead of memory-only capture (for builds);
 * `echo: false` hides the command line.
 */
function runCommand(command, args, { env, cwd, allowFailure = false, logFile, echo = true, timeoutMs = 600_000 } = {}) {
  if (echo) say(`  $ ${[command, ...args].map(quote).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      log?.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      log?.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      log?.end();
      const result = { code: code ?? 128, stdout, stderr };
      if (code === 0 || allowFailure) return resolve(result);
      const tail = (stderr || stdout).trim().split('\n').slice(-25).join('\n    ');
      reject(new Error(`${command} ${args[0] ?? ''} exited ${signal ?? code}:\n    ${tail}`));
    });
  });
}

/** True when `command` is on the PATH. */
function commandExists(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** True when `command args` exits 0 within the time given (output discarded). */
function succeeds(command, args, { env, timeoutMs = 20_000 } = {}) {
  const result = spawnSync(command, args, { env, stdio: 'ignore', timeout: timeoutMs });
  return result.status === 0;
}

function quote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${String(arg).replace(/'/g, `'\\''`)}'`;
}

module.exports = { runCommand, commandExists, succeeds };
