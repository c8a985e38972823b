// Writes lib/readers.ts from the registry, lib/presets.ts: for each line
//   export { preset as <name> } from './formats/<module>';
// the same name with that module's `reader`. The client imports lib/readers.ts, so a bundle takes
// each preset's reader and none of its render code, and adding a preset stays one registry line.
// Run by `npm run typecheck`, `npm run build`, jest's globalSetup and `npm install`; the file is not
// kept in git.
'use strict';

const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const REGISTRY = join(ROOT, 'lib/presets.ts');
const READERS = join(ROOT, 'lib/readers.ts');
const LINE = /^export \{ preset as ([A-Za-z_$][\w$]*) \} from '(\.\/formats\/[\w-]+)';$/;

/** The registry's entries, in its order: [name, module]. Throws on a line of any other shape. */
function entries(source) {
  const found = [];
  source.split('\n').forEach((line, i) => {
    const text = line.trim();
    if (text === '' || text.startsWith('//')) return;
    const match = LINE.exec(text);
    if (!match) {
      throw new Error(`lib/presets.ts:${i + 1}: expected "export { preset as <name> } from './formats/<module>';", got: ${text}`);
    }
    found.push([match[1], match[2]]);
  });
  if (found.length === 0) throw new Error('lib/presets.ts lists no preset');
  return found;
}

/** The text of lib/readers.ts for the registry's source. */
function readersSource(source) {
  const list = entries(source);
  const modules = [...new Set(list.map(([, module]) => module))];
  const local = (module) => `reader${modules.indexOf(module)}`;
  return [
    '// Written by scripts/readers.js from lib/presets.ts; edit the registry, not this file. Every',
    "// preset's reader by the preset's name, WisPanel's by variant: what express-envelope/client",
    '// decodes by name and what its core entry exports one by one.',
    '',
    "import { reading } from './formats/read';",
    ...modules.map((module) => `import { reader as ${local(module)} } from '${module}';`),
    '',
    ...list.map(([name, module]) => `export const ${name} = /* @__PURE__ */ reading('${name}', ${local(module)});`),
    '',
  ].join('\n');
}

/** Writes lib/readers.ts when it is missing or differs from the registry; returns whether it wrote. */
function writeReaders() {
  const text = readersSource(readFileSync(REGISTRY, 'utf8'));
  if (existsSync(READERS) && readFileSync(READERS, 'utf8') === text) return false;
  writeFileSync(READERS, text);
  return true;
}

module.exports = { readersSource, writeReaders };

if (require.main === module) writeReaders();
