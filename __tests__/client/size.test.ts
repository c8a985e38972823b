// The client's size budget and its independence: the whole entry, bundled and minified as an app's
// bundler would, is under 8 kB gzipped, and is made of the client folder alone (no Node built-ins,
// no server code).

import { build } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = join(__dirname, '..', '..');
const BUDGET = 8 * 1024;

test('express-envelope/client is under 8 kB min+gzip and imports nothing outside client/', async () => {
  const result = await build({
    entryPoints: [join(ROOT, 'client/index.ts')],
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
  const gzipped = gzipSync(code, { level: 9 }).length;
  console.log(`express-envelope/client: ${code.length} B minified, ${gzipped} B min+gzip (budget ${BUDGET} B)`);
  expect(gzipped).toBeLessThan(BUDGET);
  expect(Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('client/'))).toEqual([]);
  expect(Object.values(result.metafile.outputs).flatMap((output) => output.imports)).toEqual([]);
});
