/**
 * Stage 3 machinery: keepalived's keyword-driven block walk (lib/parser.c
 * process_stream()) over the CST, the value-block reader (alloc_value_block())
 * and the number/boolean readers with keepalived's messages. The keyword tables
 * in schema/ are data for this engine.
 */
import type { DiagnosticCode } from './codes.js';
import type { Diagnostic, KaClass, SourceLoc } from './diagnostics.js';
import { severityOf } from './diagnostics.js';
import { KIND_CLOSE, KIND_OPEN } from './stmt.js';
import type { Stmt, StmtList } from './stmt.js';

export type { Stmt } from './stmt.js';

/** keepalived exits at once (status 2) when a handler reads a missing word. */
export class MissingParameter extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'MissingParameter';
  }
}

export type Pass = 'parent' | 'checker' | 'vrrp' | 'bfd';

export interface Reporter {
  report(kaClass: KaClass, code: DiagnosticCode, message: string, opts?: ReportOptions): void;
}

export interface ReportOptions {
  readonly loc?: SourceLoc | null;
  readonly host?: boolean;
  readonly hint?: string;
}

/** The stream of statements a pass walks. */
export class StmtStream {
  pos = 0;
  constructor(readonly stmts: StmtList) {}
  /** Index just past the `}` matching the `{` at `open` (past the end when unclosed). */
  endOfBlock(open: number): number {
    return this.stmts.blockEnds()[open] ?? this.stmts.length + 1;
  }
  next(): Stmt | undefined {
    return this.stmts.at(this.pos++);
  }
  /** Like next(), without making the statement: its index, or -1 past the end. */
  nextIndex(): number {
    const i = this.pos++;
    return i < this.stmts.length ? i : -1;
  }
  /** The kind of the next statement, without making it. */
  peekKind(): Stmt['kind'] | undefined {
    return this.stmts.kind(this.pos);
  }
}

export interface KeywordSpec<T> {
  /** Runs with the statement (and the target of the enclosing block). */
  readonly handler?: (c: HandlerCtx<T>) => void;
  /** A keyword block: `open` makes the child target (or SKIP), `close` validates it. */
  readonly sub?: SubBlock<T>;
  /** Top-level only: the pass in which this keyword is active. */
  readonly passes?: readonly Pass[];
}

export const SKIP = Symbol('skip-block');

export interface SubBlock<P> {
  readonly open: (c: HandlerCtx<P>) => unknown;
  readonly spec: BlockSpec<unknown>;
  readonly close?: (c: HandlerCtx<unknown>, parent: P) => void;
}

export interface BlockSpec<T> {
  readonly name: string;
  readonly keywords: Readonly<Record<string, KeywordSpec<T>>>;
}

/** Helper so a table can type its child target. */
export function sub<P, C>(
  open: (c: HandlerCtx<P>) => C | typeof SKIP,
  spec: BlockSpec<C>,
  close?: (c: HandlerCtx<C>, parent: P) => void,
): SubBlock<P> {
  return {
    open,
    spec: spec as unknown as BlockSpec<unknown>,
    ...(close ? { close: close as unknown as (c: HandlerCtx<unknown>, parent: P) => void } : {}),
  };
}

export interface EngineEnv {
  readonly reporter: Reporter;
  /** Did-you-mean for unknown keywords (block name, word, keywords of that block). */
  readonly suggest?: (block: string, word: string, known: readonly string[]) => string | undefined;
  readonly pass: Pass;
  /** Host facts and shared state, opaque to the engine. */
  readonly shared: unknown;
}

/**
 * What a keyword handler sees. Readers report keepalived's messages and return undefined on error.
 *
 * The walk hands a context the statement's index in the stream; the `Stmt`
 * object, its words and its location are made only when a handler asks
 * (most handlers read two words and never ask for a location).
 */
export class HandlerCtx<T> {
  /** keepalived reports on the line it is reading: after a value block that is its `}`. */
  private endLoc: SourceLoc | undefined;
  private made: Stmt | undefined;
  private cachedLoc: SourceLoc | undefined;
  private index: number;
  private w: readonly string[];

  constructor(
    readonly target: T,
    stmt: Stmt | number,
    readonly env: EngineEnv,
    private readonly stream: StmtStream,
    /** The statement's words, when the caller has them already. */
    words?: readonly string[],
  ) {
    this.endLoc = undefined;
    this.cachedLoc = undefined;
    if (typeof stmt === 'number') {
      this.index = stmt;
      this.made = undefined;
      this.w = words ?? stream.stmts.wordsAt(stmt);
    } else {
      this.index = -1;
      this.made = stmt;
      this.w = stmt.words;
    }
  }

  /**
   * The walk's context moves on to statement `i` of its block (one context per
   * block level instead of one per statement). Handlers never keep a context
   * past their call; `with()` makes a new one when they need another.
   */
  moveTo(i: number, words: readonly string[]): void {
    this.index = i;
    this.w = words;
    this.made = undefined;
    this.cachedLoc = undefined;
    this.endLoc = undefined;
  }

  get words(): readonly string[] {
    return this.w;
  }

  get stmt(): Stmt {
    return (this.made ??= this.stream.stmts.at(this.index) as Stmt);
  }
  get loc(): SourceLoc {
    if (this.made) return this.made.loc;
    return (this.cachedLoc ??= this.stream.stmts.locAt(this.index));
  }
  get keyword(): string {
    return this.words[0] ?? '';
  }
  locOf(i: number): SourceLoc {
    const d = this.stmt.colOffset(i);
    return d === undefined ? this.loc : { ...this.loc, col: this.loc.col + d };
  }

  /** Same target, another statement (value-block lines). */
  with<U>(target: U, stmt: Stmt | number = this.made ?? this.index): HandlerCtx<U> {
    return new HandlerCtx(target, stmt, this.env, this.stream);
  }

  report(kaClass: KaClass, code: DiagnosticCode, message: string, opts?: ReportOptions): void {
    this.env.reporter.report(kaClass, code, message, { loc: this.endLoc ?? this.loc, ...opts });
  }
  error(message: string, opts?: ReportOptions): void {
    this.report('GENERAL_ERROR', 'KA_CFG_INVALID', message, opts);
  }
  log(message: string): void {
    this.report('OK', 'KA_CFG_LOG', message);
  }

  /** keepalived: strvec_slot() with the null-strvec handler: a missing word ends the run (status 2). */
  word(i: number): string {
    const words = this.words;
    const w = words[i];
    if (w !== undefined) return w;
    const prev = words[i - 1];
    const first = words[0] ?? '***MISSING ***';
    const message =
      i > 0 && prev !== undefined
        ? `*** Configuration line starting \`${first}\` is missing a parameter after keyword \`${prev}\` at word position ${i + 1}`
        : `*** Configuration line starting \`${first}\` is missing a parameter at word position ${i + 1}`;
    throw new MissingParameter({
      severity: 'fatal',
      kaClass: 'MISSING_PARAMETER',
      code: 'KA_CFG_MISSING_PARAMETER',
      message,
      loc: this.loc,
    });
  }
  has(i: number): boolean {
    return this.words[i] !== undefined;
  }

  readInt(i: number, min: number, max: number): number | undefined {
    return readInt(this, this.word(i), min, max);
  }
  readUnsigned(i: number, min: number, max: number): number | undefined {
    return readUnsigned(this, this.word(i), min, max);
  }
  /** A decimal with up to `shift` places, returned ×10^shift (keepalived: read_decimal_unsigned_strvec). */
  readDecimal(i: number, min: number, max: number, shift: number): number | undefined {
    return readDecimal(this, this.word(i), min, max, shift);
  }
  /** Seconds with µs resolution, returned in µs (keepalived: read_timer). */
  readTimer(i: number, minUs: number, maxUs = 0): number | undefined {
    return readDecimal(this, this.word(i), minUs, maxUs || TIMER_MAXIMUM_US, 6);
  }
  /** Optional boolean argument: omitted means true. Reports and returns undefined when invalid. */
  optBool(i: number, errorMessage?: string): boolean | undefined {
    if (!this.has(i)) return true;
    const b = checkTrueFalse(this.word(i));
    if (b === undefined) this.error(errorMessage ?? `Invalid value '${this.word(i)}' for ${this.keyword}`);
    return b;
  }

  /** keepalived: alloc_value_block() — the lines of a value block, `{` handling included. */
  valueBlock(): Stmt[] {
    const lines: Stmt[] = [];
    let needBob = true;
    const w = this.words;
    if (w.length > 1) {
      if (w[1] === '{') {
        needBob = false;
      } else {
        this.error(`Block ${w[0] ?? ''} has extra parameters ${w[1] ?? ''} ...`);
      }
    }
    for (;;) {
      const s = this.stream.next();
      if (!s) break;
      if (needBob) {
        needBob = false;
        if (s.kind === 'open') continue;
        this.report('OK', 'KA_CFG_LOG', `'{' missing from beginning of block ${w[0] ?? ''}`, { loc: s.loc });
      }
      this.endLoc = s.loc;
      if (s.kind === 'close') break;
      // A lone '{' inside a value block is data to keepalived; keep it as a line.
      lines.push(s);
    }
    return lines;
  }

  /** Flattened words of a value block (notification_email, sync-group `group`, …). */
  valueBlockWords(): { word: string; stmt: Stmt }[] {
    const out: { word: string; stmt: Stmt }[] = [];
    for (const s of this.valueBlock()) for (const word of s.words) out.push({ word, stmt: s });
    return out;
  }
}

export const TIMER_HZ = 1_000_000;
export const TIMER_MAXIMUM_US = 4294 * TIMER_HZ + 967295; // keepalived: TIMER_MAXIMUM (UINT_MAX µs)
export const UINT_MAX = 4294967295;
export const INT_MAX = 2147483647;
export const INT_MIN = -2147483648;

/** keepalived: check_true_false() — lowercase only. */
export function checkTrueFalse(s: string): boolean | undefined {
  if (s === 'true' || s === 'on' || s === 'yes') return true;
  if (s === 'false' || s === 'off' || s === 'no') return false;
  return undefined;
}

function invalid(r: Pick<HandlerCtx<unknown>, 'report'>, message: string): undefined {
  r.report('INVALID_NUMBER', 'KA_CFG_NUMBER', message);
  return undefined;
}

/**
 * A plain run of at most `maxLen` ASCII digits: the usual number, which the readers
 * below take without their regexes (the value is exact below 2^53).
 */
function isDigits(s: string, maxLen: number): boolean {
  const n = s.length;
  if (n === 0 || n > maxLen) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** C strtol/strtoul base 10 on the whole string: undefined if trailing junk. */
function parseC10(s: string): { value: number; clean: boolean; empty: boolean } {
  if (isDigits(s, 15)) return { value: Number(s), clean: true, empty: false };
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)/.exec(s);
  const digits = m?.[2] ?? '';
  const used = m?.[0].length ?? 0;
  const value = digits === '' ? 0 : Number(digits) * (m?.[1] === '-' ? -1 : 1);
  return { value, clean: digits !== '' && used === s.length, empty: digits === '' };
}

export function readInt(r: Pick<HandlerCtx<unknown>, 'report'>, s: string, min: number, max: number): number | undefined {
  const p = parseC10(s);
  if (!p.clean) return invalid(r, `invalid number '${s}'`);
  if (p.value < INT_MIN || p.value > INT_MAX) return invalid(r, `number '${s}' outside integer range`);
  if (p.value < min || p.value > max) return invalid(r, `number '${s}' outside range [${min}, ${max}]`);
  return p.value;
}

export function readUnsigned(
  r: Pick<HandlerCtx<unknown>, 'report'>,
  s: string,
  min: number,
  max: number,
): number | undefined {
  const c0 = s.charCodeAt(0);
  const t = c0 === 32 || (c0 >= 9 && c0 <= 13) ? s.replace(/^[ \t\n\v\f\r]+/, '') : s;
  if (t.startsWith('-')) return invalid(r, `negative number '${s}'`);
  const p = parseC10(t);
  if (!p.clean) return invalid(r, `invalid number '${s}'`);
  if (p.value > UINT_MAX) return invalid(r, `number '${s}' outside unsigned integer range`);
  if (p.value < min || p.value > max) return invalid(r, `number '${s}' outside range [${min}, ${max}]`);
  return p.value;
}

/** keepalived: read_decimal_unsigned_long_func(); value ×10^shift. */
export function readDecimal(
  r: Pick<HandlerCtx<unknown>, 'report'>,
  s: string,
  min: number,
  max: number,
  shift: number,
): number | undefined {
  const value = shift <= 9 && isDigits(s, 9) ? Number(s) * 10 ** shift : parseDecimal(r, s, shift);
  if (value === undefined) return undefined;
  if (value > 18446744073709551615) return invalid(r, `number '${s}' outside unsigned decimal range`);
  if (value < min || value > max) {
    const unit = 10 ** shift;
    const fmt = (v: number): string => `${Math.floor(v / unit)}.${String(v % unit).padStart(shift, '0')}`;
    return invalid(r, `number '${s}' outside range [${fmt(min)}, ${fmt(max)}]`);
  }
  return value;
}

function parseDecimal(r: Pick<HandlerCtx<unknown>, 'report'>, s: string, shift: number): number | undefined {
  if (s.startsWith('-')) return invalid(r, `negative number '${s}'`);
  const dp = s.indexOf('.');
  let places = dp >= 0 ? s.length - dp - 1 : 0;
  let roundUp = false;
  if (places > shift) {
    r.report('INVALID_NUMBER', 'KA_CFG_NUMBER', `number '${s}' has too many decimal places`);
    roundUp = (s[dp + shift + 1] ?? '0') >= '5';
    places = shift;
  }
  let digits = dp >= 0 ? s.slice(0, dp) + s.slice(dp + 1, dp + 1 + places) : s;
  digits += '0'.repeat(shift - places);
  const ok = /^[ \t]*\+?[0-9]+$/.test(digits);
  let value = ok ? Number(digits.trim()) : 0;
  if (roundUp) value++;
  if (!ok) return invalid(r, `invalid number '${s}'`);
  return value;
}

/**
 * keepalived: process_stream(). Walks statements of one block level with the
 * given keyword table. Returns true when the block was skipped to its end.
 */
export function processStream<T>(
  stream: StmtStream,
  spec: BlockSpec<T>,
  target: T,
  env: EngineEnv,
  level: number,
  needBob: boolean,
): void {
  let bob = needBob;
  const table = keywordTable(spec);
  const stmts = stream.stmts;
  let ctx: HandlerCtx<T> | undefined;
  for (;;) {
    const i = stream.nextIndex();
    if (i < 0) return;
    const kind = stmts.kindCode(i);
    if (bob) {
      bob = false;
      if (kind === KIND_OPEN && level > 0) continue;
      env.reporter.report('MISSING_BOB', 'KA_CFG_MISSING_BOB', "Missing '{' at beginning of configuration block", {
        loc: stmts.locAt(i),
      });
    } else if (kind === KIND_OPEN) {
      env.reporter.report('UNEXPECTED_BOB', 'KA_CFG_UNEXPECTED_BOB', "Unexpected '{' - ignoring", { loc: stmts.locAt(i) });
      continue;
    }
    if (kind === KIND_CLOSE && level > 0) return;
    const words = stmts.wordsAt(i);
    const kwName = words[0] ?? '';
    const kw = table.get(kwName);
    if (!kw) {
      env.reporter.report('UNKNOWN_KEYWORD', 'KA_CFG_UNKNOWN_KEYWORD', `Unknown keyword '${kwName}'`, {
        loc: stmts.locAt(i),
        ...hintFor(env, spec, kwName),
      });
      continue;
    }
    const active = level > 0 || !kw.passes || kw.passes.includes(env.pass);
    if (!active) {
      skipInactive(stream);
      continue;
    }
    if (ctx === undefined) ctx = new HandlerCtx(target, i, env, stream, words);
    else ctx.moveTo(i, words);
    if (kw.handler) kw.handler(ctx);
    if (kw.sub) {
      const child = kw.sub.open(ctx);
      if (child === SKIP) {
        skipBlock(stream);
        continue;
      }
      processStream(stream, kw.sub.spec, child, env, level + 1, true);
      // keepalived runs the close handler while reading the block's `}`: messages carry that line.
      const last = stream.pos - 1;
      kw.sub.close?.(ctx.with(child, last < stmts.length ? last : i), target);
    }
  }
}

/**
 * A block's keywords as a Map, made once per table: looking a freshly sliced word
 * up as an object key hashes and internalises it, twice with the own-property check.
 */
const keywordTables = new WeakMap<BlockSpec<unknown>, Map<string, KeywordSpec<unknown>>>();
function keywordTable<T>(spec: BlockSpec<T>): Map<string, KeywordSpec<T>> {
  let m = keywordTables.get(spec as BlockSpec<unknown>);
  if (!m) {
    m = new Map(Object.entries(spec.keywords as Record<string, KeywordSpec<unknown>>));
    keywordTables.set(spec as BlockSpec<unknown>, m);
  }
  return m as Map<string, KeywordSpec<T>>;
}

function hintFor<T>(env: EngineEnv, spec: BlockSpec<T>, word: string): { hint?: string } {
  const hint = env.suggest?.(spec.name, word, Object.keys(spec.keywords));
  return hint ? { hint } : {};
}

/** Every block name with its keywords, for suggestions. */
export function keywordIndex(root: BlockSpec<unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const seen = new Set<BlockSpec<unknown>>();
  const walk = (spec: BlockSpec<unknown>): void => {
    if (seen.has(spec)) return;
    seen.add(spec);
    out.set(spec.name, [...(out.get(spec.name) ?? []), ...Object.keys(spec.keywords)]);
    for (const kw of Object.values(spec.keywords)) if (kw.sub) walk(kw.sub.spec);
  };
  walk(root);
  return out;
}

/** An inactive top-level keyword: skip its `{…}` if the next line opens one (keepalived: skip_sublevel = -1). */
function skipInactive(stream: StmtStream): void {
  if (stream.peekKind() !== 'open') return;
  skipBlock(stream);
}

/** keepalived: skip_block(true) — drop a following `{…}`, counting braces. */
function skipBlock(stream: StmtStream): void {
  if (stream.peekKind() !== 'open') return;
  stream.pos = stream.endOfBlock(stream.pos);
}

/** Collects diagnostics of all passes, dropping exact repeats (keepalived prints some once per pass). */
export class DiagnosticSink implements Reporter {
  readonly list: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  report(kaClass: KaClass, code: DiagnosticCode, message: string, opts?: ReportOptions): void {
    const loc = opts?.loc ?? undefined;
    const key = `${loc ? `${loc.file}:${loc.line}` : ''}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({
      severity: severityOf(kaClass),
      kaClass,
      code,
      message,
      ...(loc ? { loc } : {}),
      ...(opts?.host ? { host: true } : {}),
      ...(opts?.hint ? { hint: opts.hint } : {}),
    });
  }
  add(d: Diagnostic): void {
    const key = `${d.loc ? `${d.loc.file}:${d.loc.line}` : ''}|${d.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(d);
  }
}
