import { describe, expect, it } from 'vitest';
import type { Item } from './cst.js';
import { lexLine } from './lexer.js';
import type { TokenType } from './lexer.js';
import { LineTable } from './line-table.js';
import { countParses, parseLines, parseTree } from './parse.js';

const lines = (...texts: string[]): LineTable => {
  const t = new LineTable();
  const origin = t.addOrigin('k.conf', undefined);
  texts.forEach((text, i) => t.push(text, origin, i + 1, 3));
  return t;
};

/** A compact picture of the tree: words joined, blocks as arrays, stray braces as '}!', open blocks end in '…'. */
function shape(items: readonly Item[]): unknown[] {
  return items.map((it) => {
    switch (it.kind) {
      case 'line':
        return it.words.map((w) => w.value).join(' ');
      case 'block':
        return it.close ? shape(it.items) : [...shape(it.items), '…'];
      case 'stray':
        return '}!';
    }
  });
}

describe('grammar: the shape of a config', () => {
  it.each<[string, string[], unknown[]]>([
    ['statements', ['a b', 'c'], ['a b', 'c']],
    ['a block', ['a', '{', 'b', '}'], ['a', ['b']]],
    ['nested blocks', ['a', '{', 'b', '{', 'c', '}', '}'], ['a', [['b', ['c']]].flat()]],
    ['a stray } at top level', ['a', '}', 'b'], ['a', '}!', 'b']],
    ['blocks left open at the end', ['a', '{', 'b', '{', 'c'], ['a', ['b', ['c', '…'], '…']]],
    ['quoted words', ['router_id "a b" c'], ['router_id a b c']],
    ['an empty block', ['x', '{', '}'], ['x', []]],
  ])('%s', (_name, texts, want) => {
    expect(shape(parseTree(lines(...texts)))).toEqual(want);
    // the statement stream: every line in order, `{` and `}` included
    expect(parseLines(lines(...texts)).stmts.toArray().map((s) => s.words)).toEqual(
      texts.map((t) => lexLine(t, 0).tokens.map((w) => w.value)),
    );
  });

  it.each<[string, TokenType[]]>([
    ['line', ['word', 'eol']],
    ['block', ['lbrace', 'eol', 'word', 'qstring', 'eol', 'rbrace', 'eol']],
    ['stray', ['rbrace', 'eol']],
    ['open chain', ['lbrace', 'eol', 'lbrace', 'eol', 'word', 'eol']],
    ['closed inside open', ['lbrace', 'eol', 'lbrace', 'eol', 'rbrace', 'eol']],
  ])('exactly one parse: %s', (_name, types) => {
    expect(countParses(types)).toBe(1);
  });

  it('every statement keeps file:line:col, and the column of each word', () => {
    const ls = lines('global_defs', '{', 'router_id  "x y"', '}');
    const stmts = parseLines(ls).stmts.toArray();
    expect(stmts.map((s) => [s.kind, s.loc.line])).toEqual([
      ['words', 1],
      ['open', 2],
      ['words', 3],
      ['close', 4],
    ]);
    const rid = stmts[2];
    expect(rid?.words).toEqual(['router_id', 'x y']);
    expect(rid?.loc).toEqual({ file: 'k.conf', line: 3, col: 3 });
    expect(rid?.colOffset(1)).toBe(11);
    expect(rid?.colOffset(2)).toBeUndefined();
    const items = parseTree(ls);
    const block = items[1];
    expect(block?.kind).toBe('block');
    if (block?.kind === 'block') expect(block.open.lineIndex).toBe(1);
  });

  it('a line starting with a blank other than space or tab starts at its first word', () => {
    const s = parseLines(lines('\fa  b')).stmts.toArray()[0];
    expect(s?.loc.col).toBe(3 + 1);
    expect(s?.colOffset(1)).toBe(3);
  });

  it('reports an unmatched quote and keeps the words before it', () => {
    const r = parseLines(lines('notify "abc'));
    expect(r.stmts.toArray().map((s) => s.words)).toEqual([['notify']]);
    expect(shape(parseTree(lines('notify "abc')))).toEqual(['notify']);
    expect(r.diagnostics.map((d) => [d.kaClass, d.loc?.line])).toEqual([['UNMATCHED_QUOTE', 1]]);
  });

  it('the shape cache gives the same tree as a fresh parse', () => {
    const a = parseTree(lines('vs 1', '{', 'x 1', '}', 'vs 2', '{', 'x 2', '}'));
    expect(shape(a)).toEqual(['vs 1', ['x 1'], 'vs 2', ['x 2']]);
    const b = parseLines(lines('vs 1', '{', 'x 1', '}', 'vs 2', '{', 'x 2', '}')).stmts.toArray();
    expect(b.map((s) => `${s.kind}:${s.words.join(' ')}:${s.loc.line}`)).toEqual([
      'words:vs 1:1',
      'open:{:2',
      'words:x 1:3',
      'close:}:4',
      'words:vs 2:5',
      'open:{:6',
      'words:x 2:7',
      'close:}:8',
    ]);
  });

  it('the line-level parse gives the statements of the full token parse', () => {
    // flattenItems as the keyword walk sees a tree: `{` and `}` are statements of their own
    const flat = (items: readonly Item[]): string[] =>
      items.flatMap((it) => {
        switch (it.kind) {
          case 'line':
            return [`w${it.words[0]?.lineIndex}:${it.words.map((w) => w.value).join(' ')}`];
          case 'block':
            return [`{${it.open.lineIndex}`, ...flat(it.items), ...(it.close ? [`}${it.close.lineIndex}`] : [])];
          case 'stray':
            return [`}${it.token.lineIndex}`];
        }
      });
    const pick = ['a', 'a b', '"q r" s', '{', '}', '"open', '\fx', '\v', 'x "y'];
    let seed = 7;
    // Up to 40 lines: items with nested and repeated blocks, which planFor() reads block by block.
    for (let round = 0; round < 400; round++) {
      const texts: string[] = [];
      const n = 1 + (round % 41);
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        texts.push(pick[seed % pick.length] as string);
      }
      const ls = lines(...texts);
      const viaLines = parseLines(ls)
        .stmts.toArray()
        .map((s) => (s.kind === 'words' ? `w${s.loc.line - 1}:${s.words.join(' ')}` : `${s.words[0]}${s.loc.line - 1}`));
      expect(viaLines, JSON.stringify(texts)).toEqual(flat(parseTree(ls)));
    }
  });

  it('plain lines split like the moo lexer', () => {
    for (const text of ['a b', ' a\tb\v c\r', 'x\u00e9y z', 'a  "b c" d', 'a"b" c', '"q']) {
      const viaMoo = lexLine(text, 0).tokens.map((t) => t.value);
      expect(parseLines(lines(text)).stmts.toArray()[0]?.words ?? []).toEqual(viaMoo);
    }
  });
});
