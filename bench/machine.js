// What the run ran on and what it measured: machine, Node, and the commit of the package.
'use strict';

const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');

function git(args) {
  const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus.length ? cpus[0].model.trim() : 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
  };
}

/** The commit measured, and whether the sources differed from it (another change in progress). */
function sourceInfo() {
  const { name, version } = require('../package.json');
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const changed = git(['status', '--porcelain', '--', 'lib', 'middleware', 'index.ts']);
  return { name, version, commit, uncommittedSourceChanges: changed === undefined ? undefined : changed !== '' };
}

module.exports = { machineInfo, sourceInfo, ROOT };
