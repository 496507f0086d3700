import { describe, expect, it } from 'vitest';
import { LineTable } from './line-table.js';
import { parseLines } from './parse.js';
import { FgetsReader, physicalLines } from './physical-lines.js';

const table = (...texts: string[]): LineTable => {
  const t = new LineTable();
  const o = t.addOrigin('k.conf', { file: 'main.conf', line: 7, col: 1 });
  texts.forEach((text, i) => t.push(text, o, i + 1, 1 + i));
  return t;
};

describe('LineTable', () => {
  it('makes a SourceLoc per line on demand, with the include chain', () => {
    const t = table('a', 'b c');
    expect(t.loc(1, 2)).toEqual({ file: 'k.conf', line: 2, col: 4, includedFrom: { file: 'main.conf', line: 7, col: 1 } });
    expect(t.loc(5)).toEqual({ file: '', line: 0, col: 0 });
  });

  it('keeps one string per distinct text, and every line past the intern limit', () => {
    const t = new LineTable();
    const o = t.addOrigin('k.conf', undefined);
    const n = (1 << 16) + 10;
    for (let i = 0; i < n; i++) t.push(`x ${i}`, o, i + 1, 1);
    t.push(['weight', '1'].join(' '), o, n + 1, 1);
    t.push(['weight', '1'].join(' '), o, n + 2, 1);
    expect(t.length).toBe(n + 2);
    expect(t.text[n - 1]).toBe(`x ${n - 1}`);
    expect(t.text[n + 1]).toBe('weight 1');
    expect(t.loc(n + 1).line).toBe(n + 2);
  });
});

describe('StmtList', () => {
  it('makes statements when read; an unclosed block runs past the end', () => {
    const s = parseLines(table('a', '{', 'b 1', '{', 'c')).stmts;
    expect(s.length).toBe(5);
    expect([0, 1, 2, 3, 4, 5].map((i) => s.kind(i))).toEqual(['words', 'open', 'words', 'open', 'words', undefined]);
    expect(s.at(-1)).toBeUndefined();
    expect(s.at(5)).toBeUndefined();
    expect(s.at(2)?.words).toEqual(['b', '1']);
    expect(Array.from(s.blockEnds())).toEqual([6, 6, 6, 6, 6]);
  });

  it('statements of the same text share their words', () => {
    const s = parseLines(table('retry 3', 'retry 3', 'x "a b"')).stmts;
    expect(s.at(0)?.words).toBe(s.at(1)?.words);
    expect(s.at(2)?.words).toEqual(['x', 'a b']);
    expect(s.at(2)?.colOffset(1)).toBe(2);
    expect(s.at(0)?.colOffset(0)).toBe(0);
  });

  it('replan() rewrites the last item by a plan of (kind, k-th statement) pairs', () => {
    // No shape the lexer makes needs it (nearley keeps every item's lines in order); parse.ts
    // applies a plan that reorders or drops statements through it, so it must do that right.
    const s = parseLines(table('x 1', 'a', '{', 'b', '}')).stmts;
    s.replan(1, Int32Array.from([0, 2, 1, 1, 2, 3]));
    expect(s.length).toBe(4);
    expect(s.toArray().map((st) => `${st.kind}:${st.words.join(' ')}:${st.loc.line}`)).toEqual([
      'words:x 1:1',
      'words:b:4',
      'open:{:3',
      'close:}:5',
    ]);
    expect(s.shapeKey(1)).toBe('\u0000\u0001\u0002');
  });
});

describe('FgetsReader', () => {
  it('finds the characters decomment() acts on, line by line', () => {
    const text = 'a b\nc # d\ne\n"f"\ng\\\n';
    const r = new FgetsReader(text);
    const seen: boolean[] = [];
    while (r.next()) seen.push(r.hasSpecial(r.start, r.end));
    expect(seen).toEqual([false, true, false, true, true]);
    expect(physicalLines(text).map((p) => p.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a last line without a newline keeps the previous line number, as fgets counting does', () => {
    expect(physicalLines('a\nb')).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 1 },
    ]);
  });
});
