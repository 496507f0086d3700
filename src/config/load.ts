/**
 * Stage 1 of the reader: keepalived's preprocessor (lib/parser.c read_line()).
 * Physical lines → comment stripping → `@id` lines → `$NAME=` definitions →
 * `~SEQ`/`~LST` generators → `$NAME` substitution → `include` → brace split.
 * Every logical line keeps the file and line it came from, with the include chain.
 * Pure: file access comes in through `ConfigFs`.
 */
import type { DiagnosticCode } from './codes.js';
import type { Diagnostic, KaClass, SourceLoc } from './diagnostics.js';
import { severityOf } from './diagnostics.js';
import { expandGlob, hasBrace, hasWildcard } from './glob.js';
import type { ConfigFs } from './glob.js';
import { CLOSE_ID, LineTable, OPEN_ID } from './line-table.js';
import { INCLUDE_ALL, INCLUDE_B, INCLUDE_M, INCLUDE_R, INCLUDE_W, includeCheckSet } from './include-check.js';
import { strtoll } from '../lib/strtol.js';
import { dirname, joinPath } from './paths.js';
import { decomment, FgetsReader, MAXBUF, NONE, trimBlankEnd } from './physical-lines.js';

export type { ConfigFs } from './glob.js';

export interface LoadOptions {
  /** keepalived's config id (`-i`), matched by `@id` lines. */
  readonly configId: string;
  /** Directory relative paths start from (the process cwd). */
  readonly cwd: string;
  /** `-e`: every include is `includea`. */
  readonly strictIncludes?: boolean;
  /**
   * Value of `${_RANDOM MIN MAX}`; injected so the core never reads a random source itself.
   * Without one, `${_RANDOM}` expands to MIN (deterministic; tests and tools that never run scripts).
   */
  readonly random?: (min: number, max: number) => number;
}

export interface LoadResult {
  /** Lines as the keyword parser sees them: words, or a lone `{` / `}`. */
  readonly lines: LineTable;
  readonly diagnostics: Diagnostic[];
  /** A strict include failed: keepalived exits 6 before validating anything. */
  readonly strictIncludeFailed: boolean;
  readonly files: string[];
}

const MAX_SUBST_LEN = MAXBUF - 1;
const MAX_INCLUDE_DEPTH = 64;
const MAX_FILES_OPENED = 10_000;
/** Multi-line definitions may nest; a definition that expands itself would never end. */
const MAX_MULTILINE_DEPTH = 256;
/** Logical lines one config may produce (a ~SEQ over a huge range, self-expanding definitions). */
const MAX_LINES = 5_000_000;
/** The fast path stops short of MAX_LINES by more than one physical line can add, so `load()` sees the limit. */
const FAST_MAX_LINES = MAX_LINES - MAXBUF;
const DEF_LINE_END = '\n';


interface Definition {
  value: string;
  multiline: boolean;
  fn?: (params: readonly number[]) => string;
  maxParams: number;
}

interface Seq {
  readonly variable: string;
  next: number;
  readonly step: number;
  readonly last: number;
  readonly hex: boolean;
  readonly text: string;
  /** ~LST: the variables set per iteration and the value sets. */
  readonly lstNames?: readonly string[];
  readonly lstValues?: readonly (readonly string[])[];
  lstIndex: number;
}

interface OpenFile {
  readonly path: string;
  readonly reader: FgetsReader;
  readonly cwd: string;
  /** LineTable origin: the file's display name and the include line that opened it. */
  readonly origin: number;
  readonly savedIncludeCheck: number;
}

const isAlpha = (c: string | undefined): boolean => c !== undefined && /[A-Za-z]/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

export class Preprocessor {
  private readonly defs = new Map<string, Definition>();
  private readonly seqs: Seq[] = [];
  private readonly stack: OpenFile[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly out = new LineTable();
  private readonly files: string[] = [];
  private includeCheck: number;
  private strictIncludeFailed = false;
  /** What follows a `{` or `}` on a line: the next logical line, at `residueCol`. */
  private residue: string | undefined;
  private residueCol = 0;
  private multilineNext: string | undefined;
  private readonly multilineStack: string[] = [];
  private multilineSeqDepth = 0;
  private defining: Definition | undefined;
  // Where keepalived is reading (reports without a loc use it): a LineTable
  // origin, line and column, kept as numbers; a SourceLoc is made when needed.
  // Origin 0 is "no file yet".
  private curOrigin = 0;
  private curLine = 0;
  private curCol = 1;
  // Where the logical line being processed starts (a residue starts further right).
  private lineOrigin = 0;
  private lineNo = 0;
  private lineCol = 1;
  private blockDepth = 0;
  /**
   * keepalived reads lines as its keyword walk asks for them, so a `global_defs`
   * `include_check` applies to the `include`s read after it. The walk runs after
   * this stage here: the preprocessor follows the top-level block it is in to
   * apply `include_check` at the same point.
   */
  private lastTopLine: string | undefined;
  /** The first word of the line before the open top-level block's `{` (its keyword). */
  private topBlock: string | undefined;
  private opened = 0;

  constructor(
    private readonly fs: ConfigFs,
    private readonly opts: LoadOptions,
  ) {
    this.includeCheck = opts.strictIncludes ? INCLUDE_ALL : 0;
    this.out.addOrigin('', undefined);
    const random = opts.random ?? ((min: number) => min);
    this.defs.set('_PWD', { value: '', multiline: false, maxParams: 0, fn: () => this.currentDir() });
    this.defs.set('_INSTANCE', { value: '', multiline: false, maxParams: 0, fn: () => opts.configId });
    this.defs.set('_RANDOM', {
      value: '',
      multiline: false,
      maxParams: 2,
      fn: (p) => String(random(p[0] ?? 0, p[1] ?? 32767)),
    });
    this.defs.set('_HASH', { value: '#', multiline: false, maxParams: 0 });
    this.defs.set('_BANG', { value: '!', multiline: false, maxParams: 0 });
  }

  private currentDir(): string {
    return this.stack[this.stack.length - 1]?.cwd ?? this.opts.cwd;
  }

  private report(kaClass: KaClass, code: DiagnosticCode, message: string, extra?: { host?: boolean; loc?: SourceLoc | null }): void {
    const loc = extra?.loc === null ? undefined : (extra?.loc ?? this.out.locIn(this.curOrigin, this.curLine, this.curCol));
    this.diagnostics.push({
      severity: severityOf(kaClass),
      kaClass,
      code,
      message,
      ...(loc ? { loc } : {}),
      ...(extra?.host ? { host: true } : {}),
    });
  }

  /** keepalived: file_config_error() — an error class only when the include is strict. */
  private fileError(errorType: number, includeType: number, message: string): void {
    const strict = ((this.includeCheck | includeType) & errorType) !== 0;
    this.report(strict ? 'FILE_NOT_FOUND' : 'OK', 'KA_CFG_INCLUDE', message, { host: true });
    if (strict) this.strictIncludeFailed = true;
  }

  /** Reads the main config (`-f`; may itself be a glob) and everything it includes. */
  load(mainPattern: string): LoadResult {
    this.openGlob(mainPattern, INCLUDE_R | INCLUDE_M | INCLUDE_W, undefined, this.opts.cwd, true);
    for (;;) {
      if (
        this.residue === undefined &&
        this.defining === undefined &&
        this.multilineNext === undefined &&
        this.seqs.length <= this.multilineSeqDepth
      ) {
        this.readPlainLines();
      }
      if (!this.readLine()) break;
      if (this.out.length > MAX_LINES) {
        this.report('FATAL', 'KA_CFG_TOO_LARGE', `configuration expands to more than ${MAX_LINES} lines - stopping`);
        break;
      }
    }
    if (this.blockDepth > 0) {
      // keepalived: reported after the include stack is empty, so with no line.
      this.report('MISSING_EOB', 'KA_CFG_MISSING_EOB', `There are ${this.blockDepth} missing '}'s or extra '{'s`, {
        loc: null,
      });
    }
    return {
      lines: this.out,
      diagnostics: this.diagnostics,
      strictIncludeFailed: this.strictIncludeFailed,
      files: this.files,
    };
  }

  private openGlob(pattern: string, includeType: number, from: SourceLoc | undefined, cwd: string, isMain = false): void {
    if (this.stack.length >= MAX_INCLUDE_DEPTH) {
      // keepalived recurses until it runs out of file descriptors; we stop with a clear error.
      this.report('FATAL', 'KA_CFG_INCLUDE_DEPTH', `include nesting deeper than ${MAX_INCLUDE_DEPTH} at '${pattern}' (recursive include?) - skipping`);
      return;
    }
    const g = expandGlob(this.fs, pattern, cwd);
    if (g.matches.length === 0) {
      if (isMain) {
        this.report('FILE_NOT_FOUND', 'KA_CFG_NO_CONFIG', `Unable to find configuration file ${pattern}`, { host: true });
        return;
      }
      if (g.missing) {
        this.fileError(hasBrace(pattern) ? INCLUDE_B : INCLUDE_M, includeType, `Config files missing '${pattern}'.`);
      } else if (hasWildcard(pattern) && ((this.includeCheck | includeType) & INCLUDE_W) !== 0) {
        this.fileError(INCLUDE_W, includeType, `No config files matched '${pattern}'.`);
      }
      return;
    }
    if (g.missing) {
      this.fileError(INCLUDE_B, includeType, `Some config files missing: "${pattern}".`);
      if (((this.includeCheck | includeType) & INCLUDE_B) !== 0) return;
    }
    if (isMain && g.matches.length > 1) {
      this.report(
        'MULTIPLE_FILES',
        'KA_CFG_MULTIPLE_FILES',
        `WARNING, multiple configuration file matches of ${pattern}, starting with ${g.matches[0] ?? ''}`,
      );
    }
    // Push in reverse so the first match is read first.
    const saved = this.includeCheck;
    const opened: OpenFile[] = [];
    for (const m of g.matches) {
      const display = m.display;
      if (m.kind === 'dir') {
        this.fileError(INCLUDE_R, includeType, `Configuration file '${display}/' is a directory - skipping`);
        continue;
      }
      if (m.kind !== 'file' || m.executable) {
        this.fileError(
          INCLUDE_R,
          includeType,
          `Configuration file '${display}' is not a regular non-executable file - skipping`,
        );
        continue;
      }
      if (this.stack.some((f) => f.path === m.path && f.reader.started)) {
        // keepalived recurses until it runs out of file descriptors; a cycle is an error here.
        this.report('FATAL', 'KA_CFG_INCLUDE_CYCLE', `Configuration file '${display}' includes itself - skipping`);
        continue;
      }
      if (++this.opened > MAX_FILES_OPENED) {
        this.report('FATAL', 'KA_CFG_TOO_LARGE', `more than ${MAX_FILES_OPENED} configuration files opened - skipping '${display}'`);
        continue;
      }
      const bytes = this.fs.readFile(m.path);
      if (bytes === undefined) {
        this.fileError(INCLUDE_R, includeType, `Unable to read configuration file ${display}`);
        continue;
      }
      this.files.push(m.path);
      opened.push({
        path: m.path,
        reader: new FgetsReader(bytes),
        cwd: display.includes('/') ? dirname(m.path) : cwd,
        origin: this.out.addOrigin(display, from),
        savedIncludeCheck: saved,
      });
    }
    for (let i = opened.length - 1; i >= 0; i--) {
      const f = opened[i];
      if (f) this.stack.push(f);
    }
  }

  /** Next non-empty decommented physical line, or undefined at the end of all files. */
  private nextPhysical(): string | undefined {
    for (;;) {
      const f = this.stack[this.stack.length - 1];
      if (!f) return undefined;
      const r = f.reader;
      if (!r.next()) {
        this.stack.pop();
        this.includeCheck = f.savedIncludeCheck;
        continue;
      }
      const s = r.text;
      const start = r.start;
      let end = r.end;
      while (end > start && (s.charCodeAt(end - 1) === 10 || s.charCodeAt(end - 1) === 13)) end--;
      this.curOrigin = f.origin;
      this.curLine = r.line;
      if (end === start) {
        this.curCol = 1;
        if (this.defining) this.endDefinition();
        continue;
      }
      let lead = start;
      while (lead < end && (s.charCodeAt(lead) === 32 || s.charCodeAt(lead) === 9)) lead++;
      this.curCol = lead - start + 1;
      let text: string | undefined;
      if (!r.hasSpecial(lead, end)) {
        // decomment()'s plain case: drop trailing blanks
        let e = end;
        while (e > lead && (s.charCodeAt(e - 1) === 32 || s.charCodeAt(e - 1) === 9)) e--;
        text = s.slice(lead, e);
      } else {
        const d = decomment(s.slice(start, end));
        if (d.unterminatedQuote) {
          this.report('GENERAL_ERROR', 'KA_CFG_QUOTE', `Unterminated quote '${d.text}'`);
        }
        text = d.text;
      }
      if (text.length === 0) continue;
      return text;
    }
  }

  /**
   * The fast path of readLine() for the common line: in the plain reader
   * state (no residue, definition, multi-line value or ~SEQ pending) it reads
   * whole physical lines of the current file that hold none of `!"#\\$` and do
   * not start with `@`, `~` or `include`, and pushes their pieces around `{`
   * and `}` straight from the file text: one slice per text piece, nothing for
   * a brace. It stops, leaving the line unread, at anything else (and at the
   * end of the file or a line fgets reads in pieces), so readLine() stays the
   * authority; a piece after a brace that needs readLine() is left as its
   * residue, as splitBraces() would have.
   */
  private readPlainLines(): void {
    const f = this.stack[this.stack.length - 1];
    if (!f) return;
    const r = f.reader;
    const s = r.text;
    const out = this.out;
    const origin = f.origin;
    let start = r.cursor;
    let newlines = r.newlines;
    while (out.length < FAST_MAX_LINES) {
      const from = start;
      const nl = s.indexOf('\n', from);
      if (nl < 0 || nl - from >= MAXBUF - 1) break;
      let end = nl;
      while (end > from && s.charCodeAt(end - 1) === 13) end--;
      let a = from;
      let c = 0;
      while (a < end && ((c = s.charCodeAt(a)) === 32 || c === 9)) a++;
      if (a < end) {
        if (r.nextOdd(a) < end || needsReadLine(s, a, c)) break;
        while (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9) end--;
      }
      // The line is ours: read it as nextPhysical() would.
      const line = ++newlines;
      start = nl + 1;
      this.curOrigin = origin;
      this.curLine = line;
      this.curCol = end === from ? 1 : a - from + 1;
      if (a >= end) continue;
      this.lineOrigin = origin;
      this.lineNo = line;
      // Its pieces, cut as splitBraces() and the residues it leaves would cut them.
      let col = a - from + 1;
      for (;;) {
        // A piece starts at `a` (not a blank); the line's text ends at `end`.
        this.lineCol = col;
        const b = r.nextBrace(a);
        if (b === a) {
          if (s.charCodeAt(a) === 123) {
            this.openBlock();
            out.pushId(OPEN_ID, origin, line, col);
          } else {
            this.closeBlock();
            out.pushId(CLOSE_ID, origin, line, col);
          }
          a++;
          while (a < end && ((c = s.charCodeAt(a)) === 32 || c === 9)) a++;
          if (a >= end) break;
          col = a - from + 1;
          if (needsReadLine(s, a, c)) {
            this.residue = s.slice(a, end);
            this.residueCol = col;
            break;
          }
          continue;
        }
        let e = end;
        if (b < end) {
          e = b;
          while ((c = s.charCodeAt(e - 1)) === 32 || c === 9) e--;
        }
        const text = s.slice(a, e);
        // noteText(): a piece here never starts with `include`, so only depth 0 matters.
        if (this.blockDepth === 0) this.lastTopLine = text;
        out.pushId(out.idOf(text), origin, line, col);
        if (b >= end) break;
        a = b;
        col = b - from + 1;
      }
      if (this.residue !== undefined) break;
    }
    r.cursor = start;
    r.newlines = newlines;
  }

  private endDefinition(): void {
    const def = this.defining;
    if (def && def.value.length === 0) def.multiline = false;
    this.defining = undefined;
  }

  /** keepalived: read_line(): adds one logical line to the output; false at EOF. */
  private readLine(): boolean {
    for (;;) {
      let buf: string;
      if (this.residue !== undefined) {
        buf = this.residue;
        this.residue = undefined;
        this.lineCol = this.residueCol;
      } else {
        if (this.seqs.length > this.multilineSeqDepth) {
          buf = this.nextSeqLine();
        } else if (this.multilineNext !== undefined) {
          const s = this.multilineNext;
          const end = s.indexOf(DEF_LINE_END);
          if (end < 0) {
            buf = s;
            const popped = this.multilineStack.pop();
            this.multilineNext = popped;
            if (popped === undefined) this.multilineSeqDepth = 0;
          } else {
            buf = s.slice(0, end);
            this.multilineNext = s.slice(end + 1);
          }
        } else {
          const p = this.nextPhysical();
          if (p === undefined) return false;
          buf = p;
          if (this.defining) {
            this.continueDefinition(buf);
            continue;
          }
        }
        this.lineOrigin = this.curOrigin;
        this.lineNo = this.curLine;
        this.lineCol = this.curCol;
      }
      if (buf.length === 0) continue;
      const processed = this.expand(buf);
      if (processed === undefined || processed.length === 0) continue;
      if (this.checkInclude(processed)) continue;
      this.splitBraces(processed);
      return true;
    }
  }

  private continueDefinition(line: string): void {
    const def = this.defining;
    if (!def) return;
    let text = line;
    let more = false;
    if (text.endsWith('\\')) {
      text = trimBlankEnd(text.slice(0, -1)) + DEF_LINE_END;
      more = true;
    }
    if (text.length >= 2 || (text.length > 0 && !more)) def.value += text;
    if (!more) this.endDefinition();
  }

  /** The `@`, `$NAME=`, `~SEQ` and substitution loop of read_line(). */
  private expand(input: string): string | undefined {
    let buf = input;
    for (let guard = 0; guard < 64; guard++) {
      if (buf.startsWith('@')) {
        const rev = buf[1] === '^';
        const ofs = rev ? 2 : 1;
        const m = /[ \t]/.exec(buf.slice(ofs));
        if (!m) return undefined;
        const id = buf.slice(ofs, ofs + m.index);
        if ((id === this.opts.configId) === rev) return undefined;
        buf = buf.slice(ofs + m.index).replace(/^[ \t]+/, '');
      }
      if (buf.startsWith('$') && this.checkDefinition(buf)) return undefined;
      if (buf.startsWith('~SEQ') || buf.startsWith('~LST')) {
        const ok = buf[1] === 'S' ? this.addSeq(buf) : this.addLst(buf);
        if (!ok) {
          const what = buf[1] === 'S' ? '~SEQ' : '~LST';
          this.report('GENERAL_ERROR', 'KA_CFG_SEQ', `Invalid ${what} specification '${buf}'`);
        }
        return undefined;
      }
      if (buf.startsWith('~')) return buf;
      if (!buf.includes('$')) return buf;
      const r = this.replaceParams(buf);
      if (r === undefined) return buf;
      buf = decomment(r).text;
      if (!(buf.startsWith('@') || buf.includes('$'))) return buf;
      if (!buf.startsWith('@') && this.replaceParams(buf) === undefined) return buf;
    }
    return buf;
  }

  /** keepalived: check_definition() — `$NAME=VALUE`, no blank before `=`. */
  private checkDefinition(buf: string): boolean {
    if (!(isAlpha(buf[1]) || buf[1] === '_')) return false;
    let p = 2;
    while (p < buf.length && buf[p] !== '=') {
      if (!isNameChar(buf[p])) return false;
      p++;
    }
    if (buf[p] !== '=') return false;
    const name = buf.slice(1, p);
    let value = buf.slice(p + 1).replace(/^[ \t]+/, '');
    let multiline = false;
    if (value.endsWith('\\')) {
      multiline = true;
      value = trimBlankEnd(value.slice(0, -1));
      value = value.length === 0 ? '' : value + DEF_LINE_END;
    }
    const def: Definition = { value, multiline, maxParams: 0 };
    this.defs.set(name, def);
    if (multiline) this.defining = def;
    return true;
  }

  /** keepalived: find_definition() for a use at `text` (just after the `$`). */
  private findUse(
    text: string,
  ): { def: Definition; consumed: number; params: number[]; lineEnds: boolean } | undefined {
    let i = 0;
    const braces = text[0] === '{';
    if (braces) i = 1;
    if (!(isAlpha(text[i]) || text[i] === '_')) return undefined;
    const nameStart = i;
    while (i < text.length && isNameChar(text[i])) i++;
    const name = text.slice(nameStart, i);
    const params: number[] = [];
    if (braces) {
      const m = /^((?: *\d+)*)\}/.exec(text.slice(i));
      if (!m || m[1] === undefined) return undefined;
      if (m[1].length > 0 && m[1].endsWith(' ')) return undefined;
      for (const p of m[1].trim().split(/ +/)) if (p) params.push(Number.parseInt(p, 10));
      i += m[0].length;
    } else {
      const c = text[i];
      if (c !== undefined && c !== ' ' && c !== '\t' && c !== ',' && c !== ')') return undefined;
    }
    const lineEnds = i >= text.length;
    const def = this.defs.get(name);
    if (!def) return undefined;
    if (def.multiline && !lineEnds) return undefined;
    if (params.length > 0 && def.maxParams === 0) return undefined;
    return { def, consumed: i, params, lineEnds };
  }

  /** keepalived: replace_param(); undefined when nothing was replaced. */
  private replaceParams(input: string): string | undefined {
    let buf = input;
    let pos = buf.indexOf('$');
    let found = false;
    let steps = 0;
    while (pos >= 0 && pos + 1 < buf.length) {
      if (++steps > 10_000) break;
      const use = this.findUse(buf.slice(pos + 1));
      if (!use) {
        pos = buf.indexOf('$', pos + 1);
        continue;
      }
      found = true;
      const { def } = use;
      let value = def.fn ? def.fn(use.params) : def.value;
      if (def.multiline) {
        const end = value.indexOf(DEF_LINE_END);
        if (this.multilineNext !== undefined) {
          if (this.multilineStack.length >= MAX_MULTILINE_DEPTH) {
            this.report('GENERAL_ERROR', 'KA_CFG_SUBST_DEPTH', `multi-line definition nested deeper than ${MAX_MULTILINE_DEPTH} (recursive definition?) - not expanded`);
            return found ? buf : undefined;
          }
          this.multilineStack.push(this.multilineNext);
        }
        this.multilineSeqDepth = this.seqs.length;
        this.multilineNext = end >= 0 ? value.slice(end + 1) : undefined;
        value = end >= 0 ? value.slice(0, end) : value;
      }
      const next = buf.slice(0, pos) + value + buf.slice(pos + 1 + use.consumed);
      if (next.length > MAX_SUBST_LEN) {
        this.report('OK', 'KA_CFG_SUBST_TOO_LONG', `Parameter substitution on line '${buf}' would exceed maximum line length`);
        return found ? buf : undefined;
      }
      buf = next;
      if (value.trimStart().startsWith('~')) break;
      pos = buf.indexOf('$', pos);
    }
    return found ? buf : undefined;
  }

  private parseSeqArgs(buf: string, from: number): { args: number[]; rest: string } | undefined {
    const close = buf.indexOf(')', from);
    if (close < 0) return undefined;
    let inner = buf.slice(from, close + 1);
    inner = this.replaceParams(inner) ?? inner;
    const args: number[] = [];
    let s = inner;
    for (;;) {
      // keepalived: strtol(p, &endptr, 0)
      const r = strtoll(s);
      args.push(Number(r.value));
      s = s.slice(r.end).replace(/^[ \t]+/, '');
      if (s.startsWith(')')) break;
      if (!s.startsWith(',') || args.length >= 3) return undefined;
      s = s.slice(1);
    }
    return { args, rest: buf.slice(close + 1).replace(/^[ \t]+/, '') };
  }

  /** keepalived: add_seq() — `~SEQ(VAR, [START,] [STEP,] END) text`. */
  private addSeq(buf: string): boolean {
    let p = 4;
    const hex = buf[p] === 'x';
    if (hex) p++;
    while (buf[p] === ' ' || buf[p] === '\t') p++;
    if (buf[p] !== '(') return false;
    p++;
    while (buf[p] === ' ' || buf[p] === '\t') p++;
    const m = /^[^ \t,)]*/.exec(buf.slice(p));
    const variable = m?.[0] ?? '';
    p += variable.length;
    while (buf[p] === ' ' || buf[p] === '\t') p++;
    if (p >= buf.length || buf[p] === ')' || variable.length === 0) {
      this.report('GENERAL_ERROR', 'KA_CFG_SEQ', `Invalid ~SEQ definition '${buf}'`);
      return false;
    }
    const parsed = this.parseSeqArgs(buf, p + 1);
    if (!parsed) {
      this.report('GENERAL_ERROR', 'KA_CFG_SEQ', `Invalid ~SEQ definition '${buf}'`);
      return false;
    }
    const a = parsed.args;
    let start: number;
    let step: number;
    let end: number;
    if (a.length === 1) {
      end = a[0] ?? 0;
      step = end < 1 ? -1 : 1;
      start = end < 0 ? -1 : 1;
    } else if (a.length === 2) {
      start = a[0] ?? 0;
      end = a[1] ?? 0;
      step = start <= end ? 1 : -1;
    } else {
      start = a[0] ?? 0;
      step = a[1] ?? 0;
      end = a[2] ?? 0;
      if (step === 0 || (start < end && step < 0) || (start > end && step > 0)) {
        this.report('GENERAL_ERROR', 'KA_CFG_SEQ', `Invalid ~SEQ values '${buf}'`);
        return false;
      }
    }
    if (hex && (start < 0 || end < 0)) {
      this.report('GENERAL_ERROR', 'KA_CFG_SEQ', `~SEQx is only valid for positive numbers '${buf}'`);
      return false;
    }
    this.seqs.push({ variable, next: start, step, last: end, hex, text: parsed.rest, lstIndex: 0 });
    return true;
  }

  /** keepalived: add_lst() — `~LST(VAR, v1, v2…)` or `~LST({A,B}, {1,2}, …)`. */
  private addLst(buf: string): boolean {
    const m = /^~LST[ \t]*\((.*)$/.exec(buf);
    if (!m || m[1] === undefined) return false;
    const body = m[1];
    // Split the argument list at top-level commas up to the matching ')'.
    const items: string[] = [];
    let depth = 0;
    let cur = '';
    let i = 0;
    for (; i < body.length; i++) {
      const c = body[i];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (depth === 0 && c === ')') break;
      if (depth === 0 && c === ',') {
        items.push(cur.trim());
        cur = '';
        continue;
      }
      cur += c;
    }
    if (i >= body.length) return false;
    items.push(cur.trim());
    const rest = body.slice(i + 1).replace(/^[ \t]+/, '');
    const [vars, ...values] = items;
    if (vars === undefined || vars.length === 0 || values.length === 0) return false;
    const unbrace = (s: string): string[] =>
      s.startsWith('{') && s.endsWith('}') ? s.slice(1, -1).split(',').map((x) => x.trim()) : [s];
    const names = unbrace(vars);
    const sets = values.map((v) => {
      const vs = unbrace(this.replaceParams(v) ?? v);
      return names.map((_, k) => vs[k] ?? '');
    });
    this.seqs.push({
      variable: '',
      next: 0,
      step: 1,
      last: sets.length - 1,
      hex: false,
      text: rest,
      lstNames: names,
      lstValues: sets,
      lstIndex: 0,
    });
    return true;
  }

  private nextSeqLine(): string {
    const seq = this.seqs[this.seqs.length - 1];
    if (!seq) return '';
    if (seq.lstNames && seq.lstValues) {
      const set = seq.lstValues[seq.lstIndex] ?? [];
      seq.lstNames.forEach((n, k) => {
        this.defs.set(n, { value: set[k] ?? '', multiline: false, maxParams: 0 });
      });
      seq.lstIndex++;
      if (seq.lstIndex >= seq.lstValues.length) this.seqs.pop();
      return seq.text;
    }
    this.defs.set(seq.variable, {
      value: seq.hex ? seq.next.toString(16) : String(seq.next),
      multiline: false,
      maxParams: 0,
    });
    seq.next += seq.step;
    if ((seq.step > 0 && seq.next > seq.last) || (seq.step < 0 && seq.next < seq.last)) this.seqs.pop();
    return seq.text;
  }

  /** keepalived: is_include()/check_include(). */
  private checkInclude(buf: string): boolean {
    if (!buf.startsWith('include') || buf.length <= 7) return false;
    const c7 = buf[7] ?? '';
    let type: number;
    let p: number;
    if (/\s/.test(c7)) {
      type = 0;
      p = 8;
    } else if (/\s/.test(buf[8] ?? 'x') && 'rmwba'.includes(c7)) {
      p = 9;
      type =
        c7 === 'r'
          ? INCLUDE_R
          : c7 === 'a'
            ? INCLUDE_ALL
            : c7 === 'w'
              ? INCLUDE_R | INCLUDE_M | INCLUDE_W
              : c7 === 'm'
                ? INCLUDE_R | INCLUDE_M
                : INCLUDE_R | INCLUDE_B;
    } else return false;
    const pattern = buf.slice(p).replace(/^[ \t]+/, '');
    const from = this.out.locIn(this.lineOrigin, this.lineNo, this.lineCol);
    this.openGlob(pattern, type, from, this.currentDir());
    return true;
  }

  /** `include_check …` at depth 1 of global_defs; the keyword table reports its errors. */
  private includeCheckLine(buf: string): void {
    const [keyword, ...words] = buf.split(/[ \t]+/);
    if (keyword === 'include_check') this.includeCheck = includeCheckSet(this.includeCheck, words).bits;
  }

  /** keepalived: the end of read_line() — cut at the first `{`/`}` outside quotes; count depth. */
  private splitBraces(input: string): void {
    let buf = input;
    const open = buf.indexOf('{');
    const close = buf.indexOf('}');
    let p = open < 0 ? close : close < 0 ? open : Math.min(open, close);
    if (p > 0 && buf.includes('"')) p = firstBraceOutsideQuotes(buf);
    if (p >= 0) {
      let skip = 0;
      if (p === 0) {
        skip = 1;
        while (skip < buf.length && (buf.charCodeAt(skip) === 32 || buf.charCodeAt(skip) === 9)) skip++;
      }
      const rest = trimBlankEnd(buf.slice(p + skip));
      if (rest.length > 0) {
        this.residue = rest;
        this.residueCol = this.lineCol + p + skip;
      }
      buf = buf.slice(0, p + skip);
    }
    buf = trimBlankEnd(buf);
    if (buf === '{') this.openBlock();
    else if (buf === '}') this.closeBlock();
    else if (this.blockDepth <= 1) this.noteText(buf);
    this.out.push(buf, this.lineOrigin, this.lineNo, this.lineCol);
  }

  /** A `{` line: one block deeper. */
  private openBlock(): void {
    if (this.blockDepth++ === 0) this.topBlock = this.lastTopLine === undefined ? undefined : firstWord(this.lastTopLine);
  }

  /** A `}` line (at lineOrigin/lineNo/lineCol): one block out, or an extra `}`. */
  private closeBlock(): void {
    if (this.blockDepth-- < 1) {
      this.curOrigin = this.lineOrigin;
      this.curLine = this.lineNo;
      this.curCol = this.lineCol;
      this.report('UNEXPECTED_EOB', 'KA_CFG_EXTRA_EOB', "Extra '}' found");
      this.blockDepth = 0;
    }
    if (this.blockDepth === 0) this.topBlock = undefined;
  }

  /** A line of words at depth 0 or 1: what the include_check tracking needs from it. */
  private noteText(buf: string): void {
    if (this.blockDepth === 0) {
      this.lastTopLine = buf;
    } else if (this.blockDepth === 1 && this.topBlock === 'global_defs' && buf.startsWith('include_check')) {
      this.includeCheckLine(buf);
    }
  }
}

/**
 * Does the piece at `a` (first character `c`) start with what only readLine()
 * handles: an `@id` line, a `~SEQ`/`~LST`, an `include`?
 */
function needsReadLine(s: string, a: number, c: number): boolean {
  return c === 64 || c === 126 || (c === 105 && s.startsWith('include', a));
}

/** The first blank-separated word of a line. */
function firstWord(buf: string): string {
  let e = 0;
  while (e < buf.length && buf.charCodeAt(e) !== 32 && buf.charCodeAt(e) !== 9) e++;
  return buf.slice(0, e);
}

/** The first `{` or `}` not inside "…"; an unmatched quote hides the rest of the line. -1 if none. */
function firstBraceOutsideQuotes(buf: string): number {
  for (let i = 0; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (c === 123 || c === 125) return i;
    if (c === 34) {
      const close = buf.indexOf('"', i + 1);
      if (close < 0) return -1;
      i = close;
    }
  }
  return -1;
}

/** Convenience: run the preprocessor over a main config path. */
export function preprocess(fs: ConfigFs, mainPath: string, opts: LoadOptions): LoadResult {
  return new Preprocessor(fs, opts).load(mainPath);
}

export { joinPath };
