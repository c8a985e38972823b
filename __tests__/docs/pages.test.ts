// The docs as readers meet them: links that resolve (on the registry page too, where only absolute
// links work), user pages free of the project's own process, and the README a newcomer needs.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, pages } from './code-blocks';

const REPO = 'https://github.com/express-envelope/express-envelope';
const RAW = 'https://raw.githubusercontent.com/express-envelope/express-envelope/main/';

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
/** Markdown links outside code blocks: [text](target). */
function links(file: string): string[] {
  const text = read(file).replace(/^\s*```[\s\S]*?^\s*```/gm, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
}

const USER_PAGES = ['README.md', 'CHANGELOG.md', ...pages().filter((file) => /^docs\/(guides|reference)\//.test(file))];

describe.each(pages().filter((file) => file !== 'README.md').concat('CHANGELOG.md'))('%s', (file) => {
  test('every relative link points at a file of the repository', () => {
    const broken = links(file)
      .filter((target) => !/^(https?:|mailto:|#)/.test(target))
      .filter((target) => !existsSync(join(ROOT, dirname(file), target.split('#')[0])));
    expect(broken).toEqual([]);
  });
});

describe('README.md', () => {
  const readme = read('README.md');

  test('links only absolutely (the registry page has no repository beside it), to files that exist', () => {
    const all = links('README.md');
    expect(all.filter((target) => !/^(https?:|#)/.test(target))).toEqual([]);
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]);
    expect(images.length).toBeGreaterThan(0);
    const missing = all
      .filter((target) => target.startsWith(`${REPO}/blob/main/`) || target.startsWith(`${REPO}/tree/main/`) || target.startsWith(RAW))
      .map((target) => target.replace(`${REPO}/blob/main/`, '').replace(`${REPO}/tree/main/`, '').replace(RAW, '').split('#')[0])
      .filter((path) => !existsSync(join(ROOT, path)));
    expect(missing).toEqual([]);
  });

  test('has Install, an example, the preset table, the two commands for a clone, and stays short', () => {
    expect(readme).toContain('npm i express-envelope express');
    expect(readme).toContain('@types/express');
    expect(readme).toContain('## Which preset do I need');
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    expect(readme.split('\n').length).toBeLessThan(160);
  });
});

test('package.json names the repository, the home page and where to report bugs', () => {
  const manifest = JSON.parse(read('package.json')) as { repository?: { url?: string }; homepage?: string; bugs?: { url?: string } };
  expect(manifest.repository?.url).toBe(`git+${REPO}.git`);
  expect(manifest.homepage).toBe(`${REPO}#readme`);
  expect(manifest.bugs?.url).toBe(`${REPO}/issues`);
});

// Words of the project's own process; "request target" is HTTP's term and stays.
const PROCESS = [/\.ci\/run/, /quality bars?/i, /(?<!request )\btargets?\b/i, /\bissue #?\d+/i, /\bthe lead\b/i];

describe.each(USER_PAGES)('user page %s', (file) => {
  test('says nothing of the project’s own process', () => {
    const found = read(file)
      .split('\n')
      .map((line, i) => ({ line, at: `${file}:${i + 1}` }))
      .filter(({ line }) => PROCESS.some((word) => word.test(line)))
      .map(({ at, line }) => `${at}: ${line.trim()}`);
    expect(found).toEqual([]);
  });
});
