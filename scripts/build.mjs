// Builds the package: CommonJS with declarations from tsc, then a thin ESM entry over it; and the
// client entry (express-envelope/client), bundled by esbuild for ESM and CommonJS, typed by tsc.
//
// The ESM entry re-exports the CommonJS build instead of being a second copy of the code, so an app
// that loads the package both ways still has one AsyncLocalStorage and one set of formats. The client
// holds no state, so two self-contained bundles are simpler for browsers, workers and bundlers.
import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

// The client's reader table is written from the registry first (scripts/readers.js).
createRequire(import.meta.url)('./readers.js').writeReaders();
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

const cjs = createRequire(import.meta.url)(join(dist, 'cjs/index.js'));
const names = Object.keys(cjs)
  .filter((name) => name !== '__esModule' && name !== 'default')
  .sort();

mkdirSync(join(dist, 'esm'), { recursive: true });
writeFileSync(
  join(dist, 'esm/index.mjs'),
  `import cjs from '../cjs/index.js';\n\nexport const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = cjs;\n`,
);
writeFileSync(join(dist, 'esm/index.d.mts'), `export * from '../cjs/index.js';\n`);
writeFileSync(join(dist, 'cjs/package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
console.log(`built dist/cjs and dist/esm (${names.length} exports)`);

// The client: one file per entry and module system, no Node built-ins (platform neutral), ES2020 for
// browsers. `core` is the client without the table of preset names (an app passes formats).
const client = join(dist, 'client');
for (const entry of ['index', 'core']) {
  for (const [format, extension] of [
    ['esm', 'mjs'],
    ['cjs', 'cjs'],
  ]) {
    buildSync({
      entryPoints: [join(root, `client/${entry}.ts`)],
      outfile: join(client, `${entry}.${extension}`),
      bundle: true,
      format,
      platform: 'neutral',
      target: 'es2020',
      legalComments: 'none',
    });
  }
}
// Declarations without @types/node or the DOM library: the client and the readers it takes from the
// formats must not lean on either. They land in dist/client/types/; each entry re-exports its own.
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.client.json')], {
  stdio: 'inherit',
});
for (const entry of ['index', 'core']) {
  writeFileSync(join(client, `${entry}.d.ts`), `export * from './types/client/${entry}.js';\n`);
  writeFileSync(join(client, `${entry}.d.mts`), `export * from './types/client/${entry}.js';\n`);
}
console.log('built dist/client (ESM, CommonJS, declarations)');
