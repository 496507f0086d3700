/**
 * HTTP_GET / SSL_GET and their `url { … }` blocks (keepalived: check_http.c
 * install_http_ssl_check_keyword(), url_check(), http_get_check_end()).
 */
import type { HandlerCtx, KeywordSpec } from '../engine.js';
import { readUnsigned, sub, UINT_MAX } from '../engine.js';
import { baseChecker, checkConnOpts, checkerBlock, commonConnKeywords, dequeue, newConn } from './checker-common.js';
import type { CheckerCtx, HttpChecker, HttpUrl, RsCtx } from './lvs-model.js';
import { optBool } from './lvs-values.js';
import { splitQuotedEscaped } from './script.js';

interface UrlDraft {
  url: HttpUrl;
  hasPath: boolean;
}
type HttpCtx = CheckerCtx<HttpChecker> & { urls: UrlDraft[]; regexOptions: string[] };
type UrlCtx = HttpCtx & { draft: UrlDraft };

/** PCRE2 options keepalived knows (check_http.c regex_options[]); other words are ignored. */
const REGEX_OPTIONS = [
  'allow_empty_class',
  'alt_bsux',
  'auto_callout',
  'caseless',
  'dollar_endonly',
  'dotall',
  'dupnames',
  'extended',
  'extended_more',
  'firstline',
  'match_unset_backref',
  'multiline',
  'never_ucp',
  'never_utf',
  'no_auto_capture',
  'no_auto_possess',
  'no_dotstar_anchor',
  'no_start_optimize',
  'ucp',
  'ungreedy',
  'utf',
];

/** keepalived: regex_offset_handler() — only logged on error. */
function offset(c: HandlerCtx<UrlCtx>, type: 'min' | 'max'): number {
  if (c.words.length !== 2) {
    c.log(`Missing or too may options for regex_${type}_offset`);
    return 0;
  }
  const s = c.word(1);
  if (!/^[ \t]*[+-]?[0-9]*$/.test(s)) {
    c.log(`Invalid regex_${type}_offset ${s} specified`);
    return 0;
  }
  return Number(s.trim()) || 0;
}

const urlKeywords: Record<string, KeywordSpec<UrlCtx>> = {
  path: {
    handler: (c) => {
      c.target.draft.url.path = c.word(1);
      c.target.draft.hasPath = true;
    },
  },
  digest: {
    handler: (c) => {
      const url = c.target.draft.url;
      const d = c.word(1);
      if (url.digest !== undefined) {
        c.error(`Digest '${d}' is a duplicate`);
        return;
      }
      if (d.length !== 32) {
        c.error(`digest '${d}' character length should be 32 rather than ${d.length}`);
        return;
      }
      // keepalived: parses the pairs from the end and reports the first bad one
      for (let i = 15; i >= 0; i--) {
        if (!/^[0-9a-fA-F]{2}$/.test(d.slice(2 * i, 2 * i + 2))) {
          c.error(`Unable to interpret hex digit in '${d.slice(0, 2 * i + 2)}' at offset ${2 * i}/${2 * i + 1}`);
          return;
        }
      }
      url.digest = d.toLowerCase();
    },
  },
  status_code: {
    handler: (c) => {
      const url = c.target.draft.url;
      for (const s of c.words.slice(1)) {
        const m = /^([0-9]*)(?:-([0-9]*))?$/.exec(s);
        const min = m ? Number(m[1] || 0) : Number.NaN;
        const max = m?.[2] !== undefined ? Number(m[2] || 0) : min;
        if (!m || min < 100 || min > 599 || max < 100 || max > 599 || min > max) {
          c.error(`Invalid HTTP_GET status code '${s}'`);
          continue;
        }
        url.statusCodes.push([min, max]);
      }
    },
  },
  virtualhost: {
    handler: (c) => {
      if (!c.has(1)) c.error('Missing HTTP_GET virtualhost name');
      else c.target.draft.url.virtualhost = c.word(1);
    },
  },
  regex: {
    handler: (c) => {
      const w = splitQuotedEscaped(c.stmt.raw);
      if (!w.ok || w.words.length !== 2) {
        c.log('regex missing or too many fields');
        return;
      }
      const pattern = w.words[1];
      if (pattern !== undefined) c.target.draft.url.regex = pattern;
    },
  },
  regex_no_match: {
    handler: (c) => {
      c.target.draft.url.regexNoMatch = true;
    },
  },
  regex_options: {
    handler: (c) => {
      for (const o of c.words.slice(1)) if (REGEX_OPTIONS.includes(o)) c.target.regexOptions.push(o);
    },
  },
  regex_min_offset: {
    handler: (c) => {
      c.target.draft.url.regexMinOffset = offset(c, 'min');
    },
  },
  regex_max_offset: {
    handler: (c) => {
      c.target.draft.url.regexMaxOffset = offset(c, 'max');
    },
  },
  regex_stack: {
    handler: (c) => {
      if (c.words.length !== 3) {
        c.log('regex_stack requires start and max values');
        return;
      }
      const num = (s: string): number | undefined => (/^[0-9]*$/.test(s) ? Number(s || 0) : undefined);
      const start = num(c.word(1));
      if (start === undefined) return c.log('regex_stack invalid start value');
      const max = num(c.word(2));
      if (max === undefined) return c.log('regex_stack invalid max value');
      if (start > max) return c.log('regex stack start cannot exceed max value');
      c.target.draft.url.regexStack = { start, max };
    },
  },
};

/** keepalived: url_check(). */
function urlEnd(c: HandlerCtx<UrlCtx>, parent: HttpCtx): void {
  const { draft } = c.target;
  const url = draft.url;
  if (!draft.hasPath) {
    c.error('HTTP/SSL_GET checker url has no path - ignoring');
    parent.urls.splice(parent.urls.indexOf(draft), 1);
    return;
  }
  if (url.statusCodes.length === 0) url.statusCodes.push([200, 299]);
  if (url.regex !== undefined) url.regexOptions = [...parent.regexOptions];
  else if (parent.regexOptions.length || url.regexNoMatch || url.regexMinOffset || url.regexMaxOffset !== undefined || url.regexStack) {
    c.log('regex parameters specified without regex');
    url.regexNoMatch = false;
    url.regexMinOffset = 0;
    delete url.regexMaxOffset;
    delete url.regexStack;
  }
  if (url.regexMaxOffset !== undefined && url.regexMinOffset > url.regexMaxOffset) {
    c.log(`regex min offset ${url.regexMinOffset} > regex_max_offset ${url.regexMaxOffset} - ignoring`);
    url.regexMinOffset = 0;
    delete url.regexMaxOffset;
  }
}

const httpKeywords: Record<string, KeywordSpec<HttpCtx>> = {
  ...(commonConnKeywords as Record<string, KeywordSpec<HttpCtx>>),
  nb_get_retry: {
    handler: (c) => {
      c.error("nb_get_retry is deprecated - please use 'retry'");
      const v = readUnsigned(c, c.word(1), 0, UINT_MAX);
      if (v === undefined) c.error(`Invalid nb_get_retry value '${c.word(1)}'`);
      else c.target.checker.written.retry = v;
    },
  },
  virtualhost: {
    handler: (c) => {
      if (!c.has(1)) c.error('HTTP_GET virtualhost name missing');
      else c.target.checker.virtualhost = c.word(1);
    },
  },
  http_protocol: {
    handler: (c) => {
      if (!c.has(1)) {
        c.error('Missing http_protocol version');
        return;
      }
      const v = c.word(1);
      if (v === '1.0' || v === '1.1') c.target.checker.httpProtocol = v;
      else if (v === '1.0C' || v === '1.0c') c.target.checker.httpProtocol = '1.0C';
      else c.error(`Invalid http_protocol version ${v}`);
    },
  },
  enable_sni: {
    handler: (c) => {
      const b = optBool(c, (v) => `Invalid enable_sni parameter ${v}`);
      if (b !== undefined) c.target.checker.enableSni = b;
    },
  },
  fast_recovery: {
    handler: (c) => {
      const b = optBool(c, (v) => `Invalid fast_recovery parameter ${v}`);
      if (b !== undefined) c.target.checker.fastRecovery = b;
    },
  },
  url: {
    sub: sub(
      (c: HandlerCtx<HttpCtx>): UrlCtx => {
        const draft: UrlDraft = {
          url: { path: '', statusCodes: [], regexOptions: [], regexNoMatch: false, regexMinOffset: 0 },
          hasPath: false,
        };
        const t = c.target;
        t.urls.push(draft);
        t.regexOptions = [];
        const { state, vs, rs, checker, queued, urls, regexOptions } = t;
        return { state, vs, rs, checker, queued, urls, regexOptions, draft };
      },
      { name: 'url', keywords: urlKeywords },
      urlEnd,
    ),
  },
};

/** keepalived: http_get_check_end() — both messages can appear. */
function httpEnd(c: HandlerCtx<HttpCtx>): void {
  const t = c.target;
  t.checker.urls = t.urls.map((d) => d.url);
  if (t.urls.length === 0) {
    c.error('HTTP/SSL_GET checker has no urls specified - ignoring');
    dequeue(t);
  }
  if (!checkConnOpts(c, t.checker.connection)) dequeue(t);
}

export function httpCheckerKeyword(type: 'HTTP_GET' | 'SSL_GET'): KeywordSpec<RsCtx> {
  return checkerBlock<HttpChecker, { urls: UrlDraft[]; regexOptions: string[] }>(
    type,
    (c) => {
      // baseChecker()'s fields in its order (JSON key order), the HTTP default for delay_before_retry.
      const b = baseChecker(c);
      return {
        loc: b.loc,
        written: b.written,
        alpha: b.alpha,
        retry: b.retry,
        delayLoopMs: b.delayLoopMs,
        warmupMs: b.warmupMs,
        delayBeforeRetryMs: 3_000,
        logAllFailures: b.logAllFailures,
        type,
        connection: newConn(c.target),
        urls: [],
        httpProtocol: '1.0',
        enableSni: false,
        fastRecovery: false,
      };
    },
    httpKeywords,
    httpEnd,
    (b) => ({ state: b.state, vs: b.vs, rs: b.rs, checker: b.checker, queued: b.queued, urls: [], regexOptions: [] }),
  );
}
