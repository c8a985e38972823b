// Each preset module's examples: rendered by the preset they name, valid against its schema, read
// back by its reader, and shown on its page (docs/reference/presets/<module>.md) exactly as the module holds
// them. The test finds the modules itself: a new preset's examples are held without a line here.
// UPDATE_DOCS=1 writes the pages' "Examples" sections from the modules.

import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Examples, Format } from '../../index';
import { resolveFormat } from '../../lib/registry';
import { serialize } from '../../lib/serialize';
import { decodeText } from '../../client';
import { assertSchema } from '../helpers/expect-envelope';

const ROOT = join(__dirname, '..', '..');
const START = '<!-- examples: written from the preset module; UPDATE_DOCS=1 npx jest __tests__/presets/examples.test.ts -->';
const END = '<!-- /examples -->';
const ctx = { requestId: 'req-1', instance: '/api/clients/9', debug: false };

function isExamples(value: unknown): value is Examples {
  return value !== null && typeof value === 'object' && 'preset' in value && Array.isArray((value as Examples).examples);
}

/** Every module of lib/formats/ with its examples. */
const MODULES: [string, Examples][] = readdirSync(join(ROOT, 'lib/formats'))
  .filter((file) => file.endsWith('.ts'))
  .flatMap((file) => {
    const exports = jest.requireActual<Record<string, unknown>>(join(ROOT, 'lib/formats', file));
    return Object.values(exports)
      .filter(isExamples)
      .map((examples): [string, Examples] => [file.replace(/\.ts$/, ''), examples]);
  });

/** The page's section for a module's examples. */
function section({ examples }: Examples): string {
  const parts = [
    '## Examples',
    '',
    'Each outcome, rendered with the request id `req-1` on `/api/clients/9`; bodies are the exact wire text.',
  ];
  for (const example of examples) {
    parts.push('', `### ${example.title}${example.variant === undefined ? '' : ` (${example.variant})`}`, '');
    parts.push(
      '```json',
      JSON.stringify(example.outcome),
      '```',
      '',
      `→ \`${example.status}\``,
      '',
      '```json',
      serialize(example.body),
      '```',
    );
  }
  return `${START}\n${parts.join('\n')}\n${END}`;
}

test('every preset module holds examples (the helpers, messages.ts and read.ts, hold none)', () => {
  const modules = readdirSync(join(ROOT, 'lib/formats')).map((file) => file.replace(/\.ts$/, ''));
  expect(MODULES.map(([file]) => file).sort()).toEqual(modules.filter((file) => file !== 'messages' && file !== 'read').sort());
});

describe.each(MODULES)('%s', (file, examples) => {
  test.each(examples.examples.map((example) => [`${example.title}${example.variant ? ` (${example.variant})` : ''}`, example] as const))(
    '%s: renders, validates and decodes as the module says',
    (_title, example) => {
      const format: Format = resolveFormat(examples.preset, example.variant === undefined ? {} : { variant: example.variant });
      const rendered = format.render(example.outcome, ctx);
      expect({ status: rendered.status, body: JSON.parse(serialize(rendered.body)) }).toStrictEqual({
        status: example.status,
        body: example.body,
      });
      const kind = example.outcome.kind === 'error' ? 'error' : 'success';
      assertSchema(format, kind, example.body);
      const decoded = decodeText(format, example.status, serialize(example.body));
      expect(decoded.ok).toBe(kind === 'success');
      if (example.outcome.kind !== 'error') expect(decoded.data).toStrictEqual(example.outcome.data);
    },
  );

  test(`docs/reference/presets/${file}.md shows exactly these examples`, () => {
    const path = join(ROOT, 'docs/reference/presets', `${file}.md`);
    const update = process.env.UPDATE_DOCS === '1';
    // A new preset's page starts as its title; the section is written below it.
    const page = update && !existsSync(path) ? `# \`${examples.preset}\`\n` : readFileSync(path, 'utf8');
    const start = page.indexOf(START);
    const end = page.indexOf(END);
    const expected = section(examples);
    if (update) {
      writeFileSync(
        path,
        start === -1 ? `${page.trimEnd()}\n\n${expected}\n` : page.slice(0, start) + expected + page.slice(end + END.length),
      );
      return;
    }
    expect(start).toBeGreaterThan(-1);
    expect(page.slice(start, end + END.length)).toBe(expected);
  });
});
