// scripts/readers.js: the client's reader table written from the registry (lib/presets.ts).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script of the repository
const { readersSource } = require('../../scripts/readers') as { readersSource(source: string): string };

const ROOT = join(__dirname, '..', '..');

test('each registry line becomes the same name with the module reader, one import per module', () => {
  const registry = [
    '// The registry.',
    '',
    "export { preset as vbapi } from './formats/vbapi';",
    "export { preset as statusOk } from './formats/status-ok';",
    "export { preset as universa } from './formats/status-ok';",
    '',
  ].join('\n');
  expect(readersSource(registry)).toBe(
    [
      '// Written by scripts/readers.js from lib/presets.ts; edit the registry, not this file. Every',
      "// preset's reader by the preset's name, WisPanel's by variant: what express-envelope/client",
      '// decodes by name and what its core entry exports one by one.',
      '',
      "import { reading } from './formats/read';",
      "import { reader as reader0 } from './formats/vbapi';",
      "import { reader as reader1 } from './formats/status-ok';",
      '',
      "export const vbapi = /* @__PURE__ */ reading('vbapi', reader0);",
      "export const statusOk = /* @__PURE__ */ reading('statusOk', reader1);",
      "export const universa = /* @__PURE__ */ reading('universa', reader1);",
      '',
    ].join('\n'),
  );
});

test('a line of any other shape stops it, naming the line', () => {
  const registry = "export { preset as vbapi } from './formats/vbapi';\nexport * from './formats/jsend';\n";
  expect(() => readersSource(registry)).toThrow(
    `lib/presets.ts:2: expected "export { preset as <name> } from './formats/<module>';", got: export * from './formats/jsend';`,
  );
  expect(() => readersSource('// nothing\n')).toThrow('lib/presets.ts lists no preset');
});

test('lib/readers.ts is what the registry gives (jest wrote it before this run)', () => {
  const registry = readFileSync(join(ROOT, 'lib/presets.ts'), 'utf8');
  expect(readFileSync(join(ROOT, 'lib/readers.ts'), 'utf8')).toBe(readersSource(registry));
});
