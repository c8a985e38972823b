// Finds the code blocks of README.md and docs/**/*.md and expands their `// given:` lines, for
// __tests__/docs/code-blocks.test.ts. The convention is written in docs/internals/testing.md.

import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface Block {
  /** Repository-relative path of the page. */
  file: string;
  /** Line of the page where the block's first line is (1-based). */
  line: number;
  lang: 'ts' | 'js';
  /** The block as written, without its fence or the page's indentation. */
  code: string;
  /** What the block's `// given:` line asks for. */
  given: Set<string>;
}

/** README.md and every page under docs/, new pages included. */
export function pages(): string[] {
  const found: string[] = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) found.push(path);
    }
  };
  walk('docs');
  return found.sort();
}

const LANGS: Record<string, 'ts' | 'js'> = { ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js', mjs: 'js', cjs: 'js' };
const GIVEN = /^\/\/ given: (.+)$/;
export const GIVENS = ['app', 'handler', 'esm'];

/** Every ```ts and ```js block of a page. */
export function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    const lang = LANGS[open[2]];
    if (lang) {
      const code = lines
        .slice(i + 1, end)
        .map((line) => line.slice(open[1].length))
        .join('\n');
      const givenLine = GIVEN.exec(code.split('\n')[0]);
      const given = new Set(givenLine ? givenLine[1].split(/[\s,]+/).filter(Boolean) : []);
      blocks.push({ file: relative(ROOT, join(ROOT, file)), line: i + 2, lang, code, given });
    }
    i = end;
  }
  return blocks;
}

/** The package's runtime exports and type exports, as the `app` given puts them in scope. */
export interface Exports {
  values: string[];
  types: string[];
}

/** The preset a page's `handler` blocks run under: the page's own for a preset page, else vbapi. */
export function presetOf(file: string): string {
  const match = /presets\/([a-z-]+)\.md$/.exec(file);
  if (!match) return 'vbapi';
  return match[1].replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const declares = (code: string, name: string): boolean =>
  new RegExp(`(?:\\b(?:interface|type|class|function|const|let|var|import)\\s+(?:type\\s+)?${name}\\b|[{,]\\s*(?:type\\s+)?${name}\\s*[,}]|\\bas\\s+${name}\\s*[,}])`).test(code);
const uses = (code: string, name: string): boolean => new RegExp(`(?<![.\\w$'"/-])${name}\\b`).test(code);

/**
 * The file a block becomes, and how many lines come before the block's first line in it. `given:
 * app` brings express, createError (http-errors) and the package's exports the block uses without
 * importing them, and `const app = express();`; `given: handler` also puts the block inside
 * `app.get('/', async (req, res) => { … })` behind envelope() of the page's preset.
 */
export function expand(block: Block, exports: Exports, module: 'esm' | 'cjs'): { source: string; offset: number } {
  const body = block.code;
  const head: string[] = [];
  const tail: string[] = [];
  const wantsApp = block.given.has('app') || block.given.has('handler');
  if (wantsApp) {
    const values = exports.values.filter((name) => (uses(body, name) || (block.given.has('handler') && name === 'envelope')) && !declares(body, name));
    const types = exports.types.filter((name) => uses(body, name) && !declares(body, name));
    if (block.lang === 'ts' || module === 'esm') {
      if (!declares(body, 'express')) head.push("import express from 'express';");
      if (!declares(body, 'createError')) head.push("import createError from 'http-errors';");
      const names = [...values, ...(block.lang === 'ts' ? types.map((name) => `type ${name}`) : [])];
      if (names.length > 0) head.push(`import { ${names.join(', ')} } from 'express-envelope';`);
    } else {
      if (!declares(body, 'express')) head.push("const express = require('express');");
      if (!declares(body, 'createError')) head.push("const createError = require('http-errors');");
      if (values.length > 0) head.push(`const { ${values.join(', ')} } = require('express-envelope');`);
    }
    if (!declares(body, 'app')) head.push('const app = express();');
  }
  if (block.given.has('handler')) {
    head.push(`app.use(envelope('${presetOf(block.file)}'));`);
    head.push("app.get('/', async (req, res) => {");
    tail.push('});');
  }
  if (wantsApp && !/\bexport\b/.test(body)) tail.push(module === 'cjs' && block.lang === 'js' ? 'module.exports.app = app;' : 'export { app };');
  if (block.lang === 'ts' && !wantsApp) tail.push('export {};');
  return { source: [...head, body, ...tail, ''].join('\n'), offset: head.length };
}

/** True when a js block is an ES module (it imports or exports). */
export const isEsm = (code: string): boolean => /^\s*(import|export)\s/m.test(code);

/** The bare packages a block imports or requires (their package names). */
export function packagesOf(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"./][^'"]*)['"]/g)) {
    const spec = match[1];
    if (spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...names];
}
