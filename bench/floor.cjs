// The floor for bench:parse (`--floor`): the cheapest "read the config and build a model" we could
// write in Node, to show what Node itself costs on the benchmark's config before any keepalived
// semantics.
//
//   node bench/floor.cjs CONF
//
// It reads only the config bench/parse.mjs generates: it splits each line into words by hand and
// dispatches the first word through a Map to a function that fills a small object. It has no
// preprocessor (include, $VAR, @id, ~SEQ, quotes, comments after words), no locations, no
// messages, no defaults, inheritance or validation, and one pass instead of keepalived's three.
// A keyword it does not know ends it with status 1, so it can't pass for a config reader.
'use strict';
const { readFileSync } = require('node:fs');

const text = readFileSync(process.argv[2] ?? '', 'latin1');
const root = { virtualServers: [] };
const open = new Map([
  ['global_defs', () => ({})],
  ['notification_email', () => ({})],
  ['virtual_server', (_, w) => {
    const vs = { ip: w[1], port: Number(w[2]), realServers: [] };
    root.virtualServers.push(vs);
    return vs;
  }],
  ['real_server', (vs, w) => {
    const rs = { ip: w[1], port: Number(w[2]), checkers: [] };
    vs.realServers.push(rs);
    return rs;
  }],
  ['HTTP_GET', (rs) => {
    const c = { type: 'HTTP_GET', urls: [], retry: 1 };
    rs.checkers.push(c);
    return c;
  }],
  ['url', (c) => {
    const u = { path: '', statusCodes: [] };
    c.urls.push(u);
    return u;
  }],
]);
const ignore = () => {};
const value = new Map([
  ['delay_loop', (o, w) => { o.delayLoop = Number(w[1]); }],
  ['lb_algo', (o, w) => { o.scheduler = w[1]; }],
  ['lb_kind', (o, w) => { o.method = w[1]; }],
  ['protocol', (o, w) => { o.protocol = w[1]; }],
  ['weight', (o, w) => { o.weight = Number(w[1]); }],
  ['path', (o, w) => { o.path = w[1]; }],
  ['status_code', (o, w) => { o.statusCodes.push(Number(w[1])); }],
  ['connect_timeout', (o, w) => { o.connectTimeout = Number(w[1]); }],
  ['retry', (o, w) => { o.retry = Number(w[1]); }],
  ['delay_before_retry', (o, w) => { o.delayBeforeRetry = Number(w[1]); }],
  ['notification_email_from', ignore],
  ['smtp_server', ignore],
  ['smtp_connect_timeout', ignore],
  ['router_id', ignore],
]);

const stack = [];
let cur = root;
const words = [];
let pos = 0;
let line = 0;
while (pos < text.length) {
  let nl = text.indexOf('\n', pos);
  if (nl < 0) nl = text.length;
  line++;
  words.length = 0;
  let i = pos;
  while (i < nl) {
    let c = text.charCodeAt(i);
    while (i < nl && (c === 32 || c === 9 || c === 13)) c = text.charCodeAt(++i);
    if (i >= nl || c === 33 || c === 35) break; // ! and # comments
    const start = i;
    while (i < nl && c !== 32 && c !== 9 && c !== 13) c = text.charCodeAt(++i);
    words.push(text.slice(start, i));
  }
  pos = nl + 1;
  if (words.length === 0) continue;
  const first = words[0];
  if (first === '}') {
    cur = stack.pop();
  } else if (words[words.length - 1] === '{') {
    const make = open.get(first);
    stack.push(cur);
    cur = make ? make(cur, words) : {};
  } else if (value.has(first)) {
    value.get(first)(cur, words);
  } else if (!first.includes('@')) {
    process.stderr.write(`floor: line ${line}: '${first}' is not in the generated config\n`);
    process.exit(1);
  }
}
if (root.virtualServers.length === 0) {
  process.stderr.write('floor: no virtual_server read\n');
  process.exit(1);
}
