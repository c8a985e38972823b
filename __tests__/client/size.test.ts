// The client's size and independence: bundled and minified as an app's bundler would, the whole
// client (every preset by name) is under 8 kB gzipped, and an app that decodes one preset through
// express-envelope/client/core carries that preset's reader alone. The readers come from the
// formats' modules; no Node module and no render code (messages, catalogs, schemas, payloads) come
// with them.

import { build, type Metafile } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = join(__dirname, '..', '..');
const BUDGET = 8 * 1024;

/** The files that put code in the bundle, and its minified and gzipped sizes. */
async function bundle(contents: string): Promise<{ files: string[]; minified: number; gzipped: number; imports: unknown[] }> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: 'app.ts', loader: 'ts' },
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const output = Object.values((result.metafile as Metafile).outputs)[0];
  const files = Object.entries(output.inputs)
    .filter(([file, input]) => input.bytesInOutput > 0 && file !== 'app.ts')
    .map(([file]) => file)
    .sort();
  return { files, minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, imports: output.imports };
}

/** The client's own modules that any decode uses. */
const CORE = ['client/decode.ts', 'client/errors.ts', 'client/headers.ts', 'client/json.ts', 'lib/formats/read.ts'];
const FORMAT_FILES = readdirSync(join(ROOT, 'lib/formats')).map((file) => `lib/formats/${file}`);

test('express-envelope/client, every preset by name: under 8 kB min+gzip, readers and no render code', async () => {
  const all = await bundle(`export * from './client/index';`);
  console.log(`express-envelope/client (all presets): ${all.minified} B minified, ${all.gzipped} B min+gzip (budget ${BUDGET} B)`);
  expect(all.gzipped).toBeLessThan(BUDGET);
  expect(all.imports).toEqual([]);
  // Every preset module gives its reader; nothing else from lib/ comes along.
  const readers = FORMAT_FILES.filter((file) => !['lib/formats/messages.ts', 'lib/formats/read.ts'].includes(file));
  expect(all.files).toEqual(
    [...CORE, 'client/fetch.ts', 'client/index.ts', 'client/presets.ts', 'client/retry.ts', 'lib/readers.ts', ...readers].sort(),
  );
});

test('an app that decodes one preset through express-envelope/client/core ships that reader alone', async () => {
  const one = await bundle(
    `import { decodeText, problem } from './client/core';\nexport const read = (text: string) => decodeText(problem, 400, text);\n`,
  );
  const all = await bundle(
    `import { decodeText } from './client/index';\nexport const read = (text: string) => decodeText('problem', 400, text);\n`,
  );
  console.log(
    `one preset (problem, client/core): ${one.minified} B minified, ${one.gzipped} B min+gzip; by name (client): ${all.gzipped} B`,
  );
  expect(one.files).toEqual([...CORE, 'lib/formats/problem.ts', 'lib/readers.ts'].sort());
  expect(one.imports).toEqual([]);
  expect(one.gzipped).toBeLessThan(all.gzipped);
});
