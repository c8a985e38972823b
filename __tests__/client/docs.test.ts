// The client's documented examples hold: every `js` block of docs/guides/client.md and of the README's
// "On the client" section runs against the sources, and each `console.log(x); // → y` line must
// print what its comment says.

import { transformSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as client from '../../client';
import * as core from '../../client/core';
import { defineFormat } from '../../index';

const ROOT = join(__dirname, '..', '..');

function jsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
}

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

const BLOCKS: [string, string][] = [
  ...jsBlocks(readFileSync(join(ROOT, 'docs/guides/client.md'), 'utf8')).map(
    (block, i) => [`docs/guides/client.md block ${i + 1}`, block] as [string, string],
  ),
  ...jsBlocks(section(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'On the client')).map(
    (block, i) => [`README "On the client" block ${i + 1}`, block] as [string, string],
  ),
];

test('there are examples to check', () => {
  expect(BLOCKS.length).toBeGreaterThanOrEqual(3);
});

test.each(BLOCKS)('%s', (_name, block) => {
  const checks: { actual: unknown; expected: unknown; line: string }[] = [];
  let claims = 0;
  const source = block
    .split('\n')
    .map((line) => {
      const match = /^(\s*)console\.log\((.*)\); \/\/ → (.*)$/.exec(line);
      if (!match) return line;
      claims++;
      return `${match[1]}__check(${match[2]}, (${match[3]}), ${JSON.stringify(line.trim())});`;
    })
    .join('\n');
  const { code } = transformSync(source, { format: 'cjs', loader: 'js' });
  const require = (name: string): unknown => {
    if (name === 'express-envelope/client') return client;
    if (name === 'express-envelope/client/core') return core;
    if (name === 'express-envelope') return { defineFormat };
    throw new Error(`the example requires ${name}`);
  };
  new Function('require', '__check', code)(require, (actual: unknown, expected: unknown, line: string) =>
    checks.push({ actual, expected, line }),
  );
  expect(claims).toBeGreaterThan(0);
  expect(checks.length).toBe(claims);
  for (const { actual, expected, line } of checks) {
    if (!isDeepStrictEqual(actual, expected))
      throw new Error(
        `${line}\n  printed: ${String(actual)} ${JSON.stringify(actual, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`,
      );
  }
});
