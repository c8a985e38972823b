// Child processes of a run: starts them, waits for their answer, and kills every one of them on
// exit, on an error, and on Ctrl-C (SIGINT) or SIGTERM.
'use strict';

const { fork, spawnSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { setTimeout, clearTimeout } = require('node:timers');

const SERVER = path.join(__dirname, 'server.js');
const READY_TIMEOUT_MS = 30_000;
const live = new Set();

function killAll() {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

let installed = false;

/** Kills the children whatever way the parent ends. Call once, before starting any child. */
function installCleanup() {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.on(signal, () => {
      console.error(`\nbench: ${signal}, stopping ${live.size} child process(es)`);
      killAll();
      process.exit(code);
    });
  }
  process.on('uncaughtException', (error) => {
    console.error(error);
    killAll();
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    killAll();
    process.exit(1);
  });
}

/**
 * Forks `script` and resolves with the first IPC message of type `expect` (rejecting if the child
 * exits or stays silent first). The child stays tracked until it exits.
 */
function forkAndWait(script, args, { execArgv = [], expect, timeoutMs = READY_TIMEOUT_MS } = {}) {
  const child = fork(script, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(script)} ${args.join(' ')}: no "${expect}" message within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message) => {
      if (!message || message.type !== expect) return;
      cleanup();
      resolve({ child, message });
    };
    const onExit = (code, signal) => {
      cleanup();
      reject(new Error(`${path.basename(script)} ${args.join(' ')} exited (${signal || code}) before "${expect}"`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Pins a process to one CPU where `taskset` exists: the servers to the last core, the load
 * generator (this process) to the first, so they do not take turns on the same core. On a machine
 * with one core, or without taskset, it does nothing.
 */
function pin(pid, cpu) {
  if (os.availableParallelism() < 2) return false;
  const result = spawnSync('taskset', ['-pc', String(cpu), String(pid)], { stdio: 'ignore' });
  return result.status === 0;
}

const SERVER_CPU = Math.max(0, os.availableParallelism() - 1);

/** Starts one variant's server; resolves with `{ id, port, url, child }`. */
async function startServer(id, { execArgv } = {}) {
  const { child, message } = await forkAndWait(SERVER, [id], { execArgv, expect: 'ready' });
  pin(child.pid, SERVER_CPU);
  return { id, port: message.port, url: `http://127.0.0.1:${message.port}`, child };
}

let cpuSeq = 0;

/** The server's process.cpuUsage(), total user + system microseconds. */
function cpuMicros(server, timeoutMs = 5_000) {
  const { child } = server;
  const seq = ++cpuSeq;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`server ${server.id}: no CPU reading within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message) => {
      if (!message || message.type !== 'cpu' || message.seq !== seq) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message.usage.user + message.usage.system);
    };
    child.on('message', onMessage);
    child.send({ type: 'cpu', seq });
  });
}

/** Asks a server to exit on its own (so --cpu-prof can write its profile) and waits for it. */
function stopServer(server, timeoutMs = 10_000) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: 'exit' });
    else child.kill('SIGTERM');
  });
}

module.exports = { installCleanup, forkAndWait, startServer, stopServer, killAll, cpuMicros, pin };
