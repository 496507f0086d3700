import { describe, expect, it } from 'vitest';
import { memoryFs } from '../testing/memory-fs.js';
import { preprocess } from './load.js';
import { decomment, FgetsReader, NONE, physicalLines } from './physical-lines.js';

const run = (files: Record<string, string | null>, opts: { configId?: string } = {}) =>
  preprocess(memoryFs(files), '/etc/k/keepalived.conf', { configId: opts.configId ?? 'node1', cwd: '/', random: () => 7 });
const texts = (files: Record<string, string | null>, opts: { configId?: string } = {}) =>
  run(files, opts).lines.text;
const one = (text: string, opts: { configId?: string } = {}) => texts({ '/etc/k/keepalived.conf': text }, opts);

describe('lexical quirks (keepalived-config.md §1)', () => {
  it.each([
    ['# comment line', []],
    ['! Configuration File for keepalived', []],
    ['router_id abc#def', ['router_id abc']],
    ['notification e!f@x.com', ['notification e']],
    ['x "a#b@x.com"', ['x "a#b@x.com"']],
    ["x 'a#b'", ["x 'a"]],
    ['x c\\#d', ['x c#d']],
    ['x "a\\#b"', ['x "a\\#b"']],
    ['router_id abc \\', ['router_id abc\\']],
    ['   \t  indented', ['indented']],
    ['crlf line\r', ['crlf line']],
  ])('%j → %j', (src, want) => {
    expect(one(src)).toEqual(want);
  });

  it('reports an unterminated quote', () => {
    const r = run({ '/etc/k/keepalived.conf': 'a "b c\n' });
    expect(r.diagnostics.map((d) => d.message)).toEqual(["Unterminated quote 'a \"b c'"]);
    expect(r.diagnostics[0]?.loc?.line).toBe(1);
  });

  it('non-UTF-8 bytes in comments are harmless', () => {
    const gbk = String.fromCharCode(0xc4, 0xe3, 0xba, 0xc3);
    const fs = memoryFs({});
    const lines = preprocess(
      { ...fs, readFile: () => `! ${gbk}\nrouter_id a # ${gbk}\n`, stat: () => ({ kind: 'file', executable: false }) },
      '/k.conf',
      { configId: 'x', cwd: '/' },
    ).lines;
    expect(lines.text).toEqual(['router_id a']);
  });

  it('splits lines longer than 1023 bytes the way fgets does', () => {
    const long = `router_id ${'x'.repeat(1100)}`;
    const pl = physicalLines(`a\n${long}\n`);
    expect(pl.map((p) => [p.text.length, p.line])).toEqual([
      [1, 1],
      [1023, 1],
      [long.length - 1023, 2],
    ]);
  });

  it('decomment keeps a trailing backslash and trims blanks before it', () => {
    expect(decomment('abc   \\').text).toBe('abc\\');
  });
});

describe('braces are split off lines (§1.4)', () => {
  it.each([
    ['virtual_ipaddress { 10.0.0.1 }', ['virtual_ipaddress', '{', '10.0.0.1', '}']],
    ['virtual_ipaddress {10.0.0.1}', ['virtual_ipaddress', '{', '10.0.0.1', '}']],
    ['priority 99}', ['priority 99', '}']],
    ['} vrrp_instance C {', ['}', 'vrrp_instance C', '{']],
    ['VG_1{', ['VG_1', '{']],
    ['regex "^a{2}$"', ['regex "^a{2}$"']],
    ['{ 10.0.0.3', ['{', '10.0.0.3']],
  ])('%j → %j', (src, want) => {
    expect(one(src)).toEqual(want);
  });

  it('counts braces lexically: Extra } and missing }', () => {
    const r = run({ '/etc/k/keepalived.conf': 'a {\n}\n}\nb {\n' });
    expect(r.diagnostics.map((d) => [d.message, d.loc?.line])).toEqual([
      ["Extra '}' found", 3],
      ["There are 1 missing '}'s or extra '{'s", undefined],
    ]);
  });
});

describe('conditional lines (§2.3)', () => {
  it.each([
    ['@node1 priority 1', 'node1', ['priority 1']],
    ['@node1 priority 1', 'other', []],
    ['@^node1 priority 1', 'node1', []],
    ['@^node1 priority 1', 'other', ['priority 1']],
    ['@node1', 'node1', []],
  ])('%j with config id %s', (src, id, want) => {
    expect(one(src, { configId: id })).toEqual(want);
  });
});

describe('definitions and substitution (§2.4)', () => {
  it.each([
    ['$A=alpha\nrouter_id $A', ['router_id alpha']],
    ['$A=alpha\nx ${A}.x', ['x alpha.x']],
    ['$A=alpha\nx $A.x', ['x $A.x']],
    ['$A=alpha\nx "$A"', ['x "$A"']],
    ['$A=alpha\nx "${A}"', ['x "alpha"']],
    ['$B =beta\n', ['$B =beta']],
    ['x "${UNDEF}"\n$A=1', ['x "${UNDEF}"']],
    ['$A=1\n$B=$A$A\nx ${B}', ['x $A1']],
    ['$A=1\n$B=$A $A\nx ${B}', ['x 1 1']],
    ['$D=x # c\ny $D', ['y x']],
    ['$A=a\nx${_HASH}y $A', ['x']],
    ['$A=a\nm "${_HASH}" $A', ['m "#" a']],
    ['x ${_INSTANCE}\n$Z=1', ['x node1']],
    ['$A=${_RANDOM 1 9}\nx $A', ['x 7']],
  ])('%j → %j', (src, want) => {
    expect(one(src)).toEqual(want);
  });

  it('multi-line definitions expand to several lines, only at the end of a line', () => {
    const src = '$INST=\\\nvrrp_instance VI_${N} { \\\n  priority 1${N}0 \\\n}\n~SEQ(N, 1, 2) $INST\n';
    expect(one(src)).toEqual(['vrrp_instance VI_1', '{', 'priority 110', '}', 'vrrp_instance VI_2', '{', 'priority 120', '}']);
  });

  it('a blank line ends a multi-line definition', () => {
    expect(one('$M=a \\\nb \\\n\nc\n$M\n')).toEqual(['c', 'a', 'b']);
  });
});

describe('~SEQ and ~LST (§2.5)', () => {
  it.each([
    ['~SEQ(A, 3) v$A', ['v1', 'v2', 'v3']],
    ['~SEQ(A, 5, 3) v$A', ['v5', 'v4', 'v3']],
    ['~SEQ(A, 0, 5, 10) v$A', ['v0', 'v5', 'v10']],
    ['~SEQx(A, 0x0e, 2, 0x12) v$A', ['ve', 'v10', 'v12']],
    ['~SEQ(A, 010) v$A', ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']],
    ['~LST(V, a, b) x $V', ['x a', 'x b']],
    ["~LST({A,B}, {1,2}, {3,4}) ${A}-$B", ["1-2", "3-4"]],
    ['~LST(Z,7,8) ~SEQ(W,1,2) 10.6.${Z}.${W}', ['10.6.7.1', '10.6.7.2', '10.6.8.1', '10.6.8.2']],
  ])('%j', (src, want) => {
    expect(one(src)).toEqual(want);
  });

  it('rejects a zero step', () => {
    const r = run({ '/etc/k/keepalived.conf': '~SEQ(A, 1, 0, 3) x\n' });
    expect(r.lines.text).toEqual([]);
    expect(r.diagnostics[0]?.message).toMatch(/Invalid ~SEQ values/);
  });
});

describe('include (§2.2)', () => {
  it('includes relative to the including file, globbed and sorted, with positions', () => {
    const r = run({
      '/etc/k/keepalived.conf': 'global_defs {\ninclude conf.d/*.conf\n}\n',
      '/etc/k/conf.d/b.conf': 'router_id b\n',
      '/etc/k/conf.d/a.conf': '\nrouter_id a\n',
    });
    expect(r.lines.text).toEqual(['global_defs', '{', 'router_id a', 'router_id b', '}']);
    const a = r.lines.loc(2);
    expect(a.file).toBe('conf.d/a.conf');
    expect(a.line).toBe(2);
    expect(a.includedFrom?.line).toBe(2);
  });

  it('brace alternatives and nested includes', () => {
    const r = texts({
      '/etc/k/keepalived.conf': 'include {x,y}.inc\n',
      '/etc/k/x.inc': 'include sub/z.inc\n',
      '/etc/k/y.inc': 'yy\n',
      '/etc/k/sub/z.inc': 'zz\n',
    });
    expect(r).toEqual(['zz', 'yy']);
  });

  it('a missing include is only logged; includem makes it an error', () => {
    const lenient = run({ '/etc/k/keepalived.conf': 'include /nope.conf\n' });
    expect(lenient.diagnostics.map((d) => [d.kaClass, d.message])).toEqual([['OK', "Config files missing '/nope.conf'."]]);
    const strict = run({ '/etc/k/keepalived.conf': 'includem /nope.conf\n' });
    expect(strict.diagnostics[0]?.kaClass).toBe('FILE_NOT_FOUND');
    expect(strict.strictIncludeFailed).toBe(true);
  });

  // Each case was run through keepalived 2.2.7 -t: the strict ones exit 6.
  const missing = (files: Record<string, string | null>) =>
    run(files).diagnostics.map((d) => [d.loc?.line, d.kaClass, d.message.replace(/^Config files missing |^No config files matched /, '')]);
  it('global_defs include_check makes the includes read after it strict', () => {
    expect(
      missing({
        '/etc/k/keepalived.conf': 'global_defs {\nrouter_id a\n}\ninclude /m1\nglobal_defs {\ninclude_check match\n}\ninclude /m2\n',
      }),
    ).toEqual([
      [4, 'OK', "'/m1'."],
      [8, 'FILE_NOT_FOUND', "'/m2'."],
    ]);
  });

  it('include_check set in an included file ends with that file', () => {
    const files = {
      '/etc/k/keepalived.conf': 'include /etc/k/sub.conf\ninclude /m3\n',
      '/etc/k/sub.conf': 'global_defs {\ninclude_check match\n}\ninclude /m4\n',
    };
    expect(missing(files)).toEqual([
      [4, 'FILE_NOT_FOUND', "'/m4'."],
      [2, 'OK', "'/m3'."],
    ]);
  });

  it('include_check: no type is all, +/- add and remove, unknown words are skipped', () => {
    // `include_check` then `include_check -match -read` leaves wildcard_match and brace_match.
    expect(
      missing({ '/etc/k/keepalived.conf': 'global_defs {\ninclude_check\ninclude_check -match -read\n}\ninclude /m5\ninclude /nomatch*\n' }),
    ).toEqual([
      [5, 'OK', "'/m5'."],
      [6, 'FILE_NOT_FOUND', "'/nomatch*'."],
    ]);
    expect(missing({ '/etc/k/keepalived.conf': 'global_defs {\ninclude_check match foo +wildcard_match\n}\ninclude /nomatch*\n' })).toEqual([
      [4, 'FILE_NOT_FOUND', "'/nomatch*'."],
    ]);
  });

  it('include_check outside global_defs is no keyword and changes nothing', () => {
    expect(missing({ '/etc/k/keepalived.conf': 'vrrp_instance X {\ninclude_check match\n}\ninclude /m6\n' })).toEqual([
      [4, 'OK', "'/m6'."],
    ]);
  });

  it('skips executable files and directories', () => {
    const fs = memoryFs({ '/etc/k/keepalived.conf': 'include /etc/k/inc/*\n', '/etc/k/inc/x': { text: 'a\n', executable: true }, '/etc/k/inc/d': null });
    const r = preprocess(fs, '/etc/k/keepalived.conf', { configId: 'n', cwd: '/' });
    expect(r.lines.text).toEqual([]);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "Configuration file '/etc/k/inc/d/' is a directory - skipping",
      "Configuration file '/etc/k/inc/x' is not a regular non-executable file - skipping",
    ]);
  });

  it('compat difference: a file that includes itself is an error, not endless recursion', () => {
    const r = run({ '/etc/k/keepalived.conf': 'include *\nx\n' });
    expect(r.lines.text).toEqual(['x']);
    expect(r.diagnostics.map((d) => [d.kaClass, d.code])).toEqual([['FATAL', 'KA_CFG_INCLUDE_CYCLE']]);
  });

  it('include after substitution works', () => {
    expect(texts({ '/etc/k/keepalived.conf': '$D=/etc/k\ninclude ${D}/i.conf\n', '/etc/k/i.conf': 'ok\n' })).toEqual(['ok']);
  });
});

describe('the core reads no random source itself', () => {
  it('${_RANDOM MIN MAX} is MIN unless a random source is injected', () => {
    const r = preprocess(memoryFs({ '/k.conf': 'x ${_RANDOM 3 9}\n' }), '/k.conf', { configId: 'n', cwd: '/' });
    expect(r.lines.text).toEqual(['x 3']);
  });
});

describe('plain lines and the lines around them (the fast path and readLine() agree)', () => {
  // Expected values were produced by the preprocessor before it had a fast path for plain lines.
  const rows = (src: string) => {
    const r = run({ '/etc/k/keepalived.conf': src, '/etc/k/b.conf': 'inc 1 {\n}\n' });
    const out: string[] = [];
    for (let i = 0; i < r.lines.length; i++) {
      const l = r.lines.loc(i);
      out.push(`${r.lines.textAt(i)}@${l.line}:${l.col}`);
    }
    return { lines: out, diagnostics: r.diagnostics.map((d) => `${d.message}@${d.loc?.line}:${d.loc?.col}`) };
  };

  it.each([
    ['a {\n  b 1 }\n}\n', ['a@1:1', '{@1:3', 'b 1@2:3', '}@2:7', '}@3:1'], ["Extra '}' found@3:1"]],
    ['! c\nx 1\n$V=2\ny $V {\n  z\n}\n', ['x 1@2:1', 'y 2@4:1', '{@4:5', 'z@5:3', '}@6:1'], []],
    ['a { @node1 b }\nc } @other d\n', ['a@1:1', '{@1:3', 'b@1:5', '}@1:7', 'c@2:1', '}@2:3'], ["Extra '}' found@2:3"]],
    ['x {\n  @node1 y\n  @^node1 w\n}\n', ['x@1:1', '{@1:3', 'y@2:3', '}@4:1'], []],
    ['{ include /etc/k/b.conf\n}\nq\n', ['{@1:1', 'inc 1@1:1', '{@1:7', '}@2:1', '}@2:1', 'q@3:1'], []],
    ['p {   \t\n\t r 2\t}\r\n}\r\n', ['p@1:1', '{@1:3', 'r 2@2:3', '}@2:7', '}@3:1'], ["Extra '}' found@3:1"]],
    ['  \n\t\n\nw 1\n', ['w 1@4:1'], []],
    ['}\na }\n', ['}@1:1', 'a@2:1', '}@2:3'], ["Extra '}' found@1:1", "Extra '}' found@2:3"]],
    ['s {\n  ~SEQ(i,1,2) t\n}\n', ['s@1:1', '{@1:3', 't@2:3', 't@2:3', '}@3:1'], []],
    ['u { ~ v }\nlast', ['u@1:1', '{@1:3', '~ v@1:5', '}@1:9', 'last@1:1'], []],
    [
      'global_defs {\n  include_check r\n} e {\n}\n',
      ['global_defs@1:1', '{@1:13', 'include_check r@2:3', '}@3:1', 'e@3:3', '{@3:5', '}@4:1'],
      [],
    ],
  ])('%j', (src, lines, diagnostics) => {
    expect(rows(src)).toEqual({ lines, diagnostics });
  });

  it('a line fgets reads in pieces between plain lines', () => {
    const long = 'y'.repeat(1030);
    expect(rows(`a {\n${long} {\nc\n}\n`)).toEqual({
      lines: ['a@1:1', '{@1:3', `${'y'.repeat(1023)}@1:1`, 'yyyyyyy@2:1', '{@2:9', 'c@3:1', '}@4:1'],
      diagnostics: ["There are 1 missing '}'s or extra '{'s@undefined:undefined"],
    });
  });

  it('include_check in global_defs applies to the includes after it', () => {
    const r = run({
      '/etc/k/keepalived.conf': 'global_defs {\n  include_check\n}\ninclude /etc/k/missing.conf\n',
    });
    expect(r.strictIncludeFailed).toBe(true);
  });
});

describe('FgetsReader look-ahead', () => {
  it('finds the next odd character and brace, moving forward', () => {
    const r = new FgetsReader('a { b\nc $d }\n# e\n');
    expect(r.nextOdd(0)).toBe(8);
    expect(r.nextOdd(9)).toBe(13);
    expect(r.nextOdd(14)).toBe(NONE);
    expect(r.nextBrace(0)).toBe(2);
    expect(r.nextBrace(3)).toBe(11);
    expect(r.nextBrace(12)).toBe(NONE);
  });
});
