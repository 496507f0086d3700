#!/usr/bin/env node
// Config-parse benchmark: our `-t` (config test) against keepalived's `-t` on the
// same large generated configuration, from the same run, as a ratio.
//
//   npm run bench:parse                       # builds, then runs this script
//   node bench/parse.mjs --vs 1000 --rs 10 --runs 7 --ours "node dist/cli/keepalived-ts.cjs"
//   node bench/parse.mjs --help
//
// A benchmark is not a test: it never asserts on time. It exits 0 whatever the
// ratio, and non-zero only when a command could not be run or did not exit 0.
// Only Node built-ins are used. See bench/README.md.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync, statSync, accessSync, constants } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve, delimiter } from 'node:path';

const TARGET_DEFAULT = 1.5;
const MAX_HOSTS = 256 * 254; // x.y.0.1 … x.y.255.254 in one /16

// ---------------------------------------------------------------- options

const USAGE = `usage: node bench/parse.mjs [options]        (or: npm run bench:parse -- [options])

  --vs N            virtual_servers to generate            (env BENCH_VS, default 1000)
  --rs N            real_servers per virtual_server        (env BENCH_RS, default 10)
  --runs N          timed runs of each side                (env BENCH_RUNS, default 7)
  --warmup N        untimed warm-up runs of each side      (env BENCH_WARMUP, default 1)
  --ours "CMD"      our command                            (env BENCH_OURS, default "node dist/cli/keepalived-ts.cjs")
                    "-t -f <conf>" is appended unless CMD contains {file}
  --keepalived PATH keepalived binary                      (env KEEPALIVED, default /usr/sbin/keepalived)
  --target X        ratio target shown in the verdict      (default ${TARGET_DEFAULT})
  --timeout S       kill a run after S seconds             (default 300)
  --rss-via HOW     time | proc: force GNU time or /proc VmHWM sampling (default: time if found)
  --icount          also count instructions of one run of each side under valgrind
                    (deterministic, unlike wall time on a shared VM; needs valgrind)
  --floor           also time bench/floor.cjs, the cheapest Node reader of this config (no
                    keepalived semantics): what Node costs before any of our work (env BENCH_FLOOR=1)
  --keep            keep the temporary directory (its path is printed)
  -h, --help        this text

In CMD, {file} is replaced by the generated config's path and {dir} by the temp dir.
Sides run alternately (ours, keepalived, ours, …) after the warm-up. Wall time is
measured around each process from spawn to exit; peak RSS comes from GNU time
(/usr/bin/time -f %M) or, if that is missing, from sampling /proc/<pid>/status VmHWM.`;

function parseArgs(argv) {
  const env = process.env;
  const o = {
    vs: env.BENCH_VS ?? '1000',
    rs: env.BENCH_RS ?? '10',
    runs: env.BENCH_RUNS ?? '7',
    warmup: env.BENCH_WARMUP ?? '1',
    ours: env.BENCH_OURS ?? null,
    keepalived: env.KEEPALIVED ?? '/usr/sbin/keepalived',
    target: String(TARGET_DEFAULT),
    timeout: '300',
    keep: false,
    icount: env.BENCH_ICOUNT === '1',
    floor: env.BENCH_FLOOR === '1',
    'rss-via': 'auto',
  };
  const valued = new Set(['vs', 'rs', 'runs', 'warmup', 'ours', 'keepalived', 'target', 'timeout', 'rss-via']);
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === '-h' || a === '--help') { console.log(USAGE); process.exit(0); }
    if (a === '--keep') { o.keep = true; continue; }
    if (a === '--icount') { o.icount = true; continue; }
    if (a === '--floor') { o.floor = true; continue; }
    let v;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq); }
    const k = a.replace(/^--/, '');
    if (!a.startsWith('--') || !valued.has(k)) die(`unknown option ${argv[i]}\n\n${USAGE}`);
    if (v === undefined) {
      if (i + 1 >= argv.length) die(`option ${a} needs a value`);
      v = argv[++i];
    }
    o[k] = v;
  }
  const int = (name, min, max) => {
    const n = Number(o[name]);
    if (!Number.isInteger(n) || n < min || n > max) die(`--${name} must be an integer in ${min}..${max} (got ${o[name]})`);
    o[name] = n;
  };
  int('vs', 1, MAX_HOSTS);
  int('rs', 1, MAX_HOSTS);
  int('runs', 1, 1000);
  int('warmup', 0, 100);
  o.target = Number(o.target);
  o.timeout = Number(o.timeout);
  if (!(o.target > 0)) die('--target must be a positive number');
  if (!(o.timeout > 0)) die('--timeout must be a positive number of seconds');
  if (!['auto', 'time', 'proc'].includes(o['rss-via'])) die('--rss-via must be time or proc');
  return o;
}

function die(msg, code = 2) {
  console.error(`bench/parse: ${msg}`);
  cleanup();
  process.exit(code);
}

// Split a command string like a shell would for simple cases: whitespace,
// 'single' and "double" quotes, backslash escapes. No expansions.
function splitCommand(s) {
  const out = [];
  let cur = '', inTok = false, q = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') { q = c; inTok = true; }
    else if (c === '\\' && i + 1 < s.length) { cur += s[++i]; inTok = true; }
    else if (/\s/.test(c)) { if (inTok) { out.push(cur); cur = ''; inTok = false; } }
    else { cur += c; inTok = true; }
  }
  if (q) die(`unbalanced quote in command: ${s}`);
  if (inTok) out.push(cur);
  return out;
}

function which(cmd) {
  const ok = (p) => { try { accessSync(p, constants.X_OK); return statSync(p).isFile(); } catch { return false; } };
  if (cmd.includes('/')) return ok(resolve(cmd)) ? resolve(cmd) : null;
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d && ok(join(d, cmd))) return join(d, cmd);
  }
  return null;
}

// ---------------------------------------------------------------- config generator

// i-th host address of a /16: base.0.1, base.0.2, … base.0.254, base.1.1, …
const host = (base, i) => `${base}.${Math.floor(i / 254) % 256}.${(i % 254) + 1}`;

function generateConfig(nVs, nRs) {
  const L = [
    '! Generated by bench/parse.mjs: ' + `${nVs} virtual_servers x ${nRs} real_servers, HTTP_GET checks.`,
    '! Addresses are from 198.18.0.0/15 (RFC 2544 benchmarking range) only.',
    'global_defs {',
    '    notification_email {',
    '        lvs-admin@example.com',
    '    }',
    '    notification_email_from keepalived@example.com',
    '    smtp_server 127.0.0.1',
    '    smtp_connect_timeout 30',
    '    router_id LVS_BENCH',
    '}',
    '',
  ];
  let r = 0;
  for (let v = 0; v < nVs; v++) {
    L.push(
      `virtual_server ${host('198.18', v)} 80 {`,
      '    delay_loop 6',
      '    lb_algo rr',
      '    lb_kind DR',
      '    protocol TCP',
    );
    for (let k = 0; k < nRs; k++, r++) {
      // Real servers get distinct addresses while they last, then wrap around
      // (the same real server in several virtual_servers is legal and common).
      L.push(
        `    real_server ${host('198.19', r % MAX_HOSTS)} 80 {`,
        '        weight 1',
        '        HTTP_GET {',
        '            url {',
        '                path /health',
        '                status_code 200',
        '            }',
        '            connect_timeout 3',
        '            retry 3',
        '            delay_before_retry 3',
        '        }',
        '    }',
      );
    }
    L.push('}', '');
  }
  return L.join('\n');
}

// ---------------------------------------------------------------- running

let tmp = null;
let keepTmp = false;
let liveChild = null;

// Each run is its own process group (so GNU time's child goes too): kill the group.
function killTree(child) {
  try { process.kill(-child.pid, 'SIGKILL'); } catch { try { child.kill('SIGKILL'); } catch { /* gone */ } }
}

function cleanup() {
  if (liveChild) { killTree(liveChild); liveChild = null; }
  if (tmp && !keepTmp) { try { rmSync(tmp, { recursive: true, force: true }); } catch { /* best effort */ } }
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { cleanup(); process.exit(130); });
}

function detectGnuTime() {
  const p = '/usr/bin/time';
  if (!existsSync(p)) return null;
  const r = spawnSync(p, ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /GNU/.test(`${r.stdout}${r.stderr}`) ? p : null;
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// Runs argv once. Resolves { wall (s), rssKiB, status, signal, out } or rejects
// if the process could not be started.
function runOnce(argv, { cwd, gnuTime, timeoutS, rssFile }) {
  return new Promise((resolveRun, rejectRun) => {
    const full = gnuTime ? [gnuTime, '-f', '%M', '-o', rssFile, ...argv] : argv;
    const chunks = [];
    let hwm = 0;
    let poll = null;
    let timedOut = false;
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    liveChild = child;
    let t1 = null;
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => chunks.push(d));
    const killer = setTimeout(() => { timedOut = true; killTree(child); }, timeoutS * 1000);
    if (!gnuTime) {
      const statusPath = `/proc/${child.pid}/status`;
      const sample = () => {
        try {
          const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(statusPath, 'utf8'));
          if (m) hwm = Math.max(hwm, Number(m[1]));
        } catch { /* exited or not yet there */ }
      };
      sample();
      poll = setInterval(sample, 2);
    }
    child.on('error', (e) => {
      clearTimeout(killer); if (poll) clearInterval(poll); liveChild = null;
      rejectRun(e);
    });
    child.on('exit', () => { t1 = process.hrtime.bigint(); if (poll) clearInterval(poll); });
    child.on('close', (status, signal) => {
      clearTimeout(killer);
      liveChild = null;
      if (t1 === null) t1 = process.hrtime.bigint();
      let out = Buffer.concat(chunks).toString('utf8');
      let rssKiB = hwm || null;
      if (gnuTime) {
        // With -o, GNU time writes only its own lines to the file; its last line
        // is %M. "Command exited with non-zero status N" / "terminated by signal"
        // may precede it.
        let lines = [];
        try { lines = readFileSync(rssFile, 'utf8').trim().split('\n'); } catch { /* none */ }
        const last = lines[lines.length - 1] ?? '';
        rssKiB = /^\d+$/.test(last) ? Number(last) : null;
        const sig = lines.map((l) => /terminated by signal (\d+)/.exec(l)).find(Boolean);
        if (sig) signal = `signal ${sig[1]}`;
        // GNU time reports "cannot run" (exit 126/127) when the command won't start.
        if ((status === 126 || status === 127) && /^\S*time: cannot run/m.test(out)) {
          rejectRun(new Error(out.trim()));
          return;
        }
      }
      if (timedOut) { signal = `killed after ${timeoutS} s timeout`; status = null; }
      resolveRun({ wall: Number(t1 - t0) / 1e9, rssKiB, status, signal, out });
    });
  });
}

// ---------------------------------------------------------------- stats & printing

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtS = (x) => `${x.toFixed(3)} s`;
const fmtMiB = (kib) => (kib == null ? 'n/a' : `${(kib / 1024).toFixed(1)} MiB`);
const fmtInt = (n) => n.toLocaleString('en-US');
const exitOf = (r) => (r.signal ? String(r.signal) : String(r.status));
const describe = (r) => (r.signal
  ? (String(r.signal).startsWith('killed') ? `was ${r.signal}` : `was terminated by ${r.signal}`)
  : `exited ${r.status}`);
const shown = (argv) => argv.map((a) => (a === '' || /[\s'"\\$`]/.test(a) ? JSON.stringify(a) : a)).join(' ');

function headOf(out, n = 30) {
  if (!out.trim()) return '    (no output)';
  const lines = out.replace(/\s+$/, '').split('\n');
  const body = lines.slice(0, n).map((l) => `    | ${l}`).join('\n');
  return lines.length > n ? `${body}\n    | … (${lines.length - n} more lines)` : body;
}

// ---------------------------------------------------------------- main

async function main() {
  const o = parseArgs(process.argv.slice(2));
  keepTmp = o.keep;

  // Commands. Ours defaults to this checkout's build, run by this Node.
  const root = resolve(new URL('..', import.meta.url).pathname);
  tmp = mkdtempSync(join(tmpdir(), 'kts-bench-parse-'));
  const conf = join(tmp, 'keepalived.conf');
  const subst = (a) => a.replaceAll('{file}', conf).replaceAll('{dir}', tmp);

  let oursArgv;
  let oursLabel;
  if (o.ours == null) {
    const main = join(root, 'dist', 'cli', 'keepalived-ts.cjs'); // the package's bin
    if (!existsSync(main)) die(`${main} not found: build first (npm run build), or use npm run bench:parse`, 1);
    oursArgv = [process.execPath, main, '-t', '-f', conf];
    oursLabel = `node dist/cli/keepalived-ts.cjs -t -f <conf>`;
  } else {
    const words = splitCommand(o.ours);
    if (words.length === 0) die('--ours is empty');
    const hasFile = words.some((w) => w.includes('{file}'));
    oursArgv = hasFile ? words.map(subst) : [...words, '-t', '-f', conf];
    oursLabel = hasFile ? o.ours : `${o.ours} -t -f <conf>`;
  }
  const exe = which(oursArgv[0]);
  if (!exe) die(`cannot run our command: ${oursArgv[0]} not found or not executable`, 1);
  oursArgv[0] = exe;

  const ka = which(o.keepalived);
  if (!ka) die(`keepalived not found at ${o.keepalived} (apt-get install keepalived, or --keepalived PATH)`, 1);
  // keepalived chdirs to the config's directory; -l -D -n as in
  // shared/corpus/run_keepalived_t.sh; pid files kept inside the temp dir.
  const kaArgv = [ka, '-t', '-f', conf, '-l', '-D', '-n',
    '-p', join(tmp, 'keepalived.pid'), '-r', join(tmp, 'vrrp.pid'), '-c', join(tmp, 'checkers.pid')];
  const kaVersion = (() => {
    const r = spawnSync(ka, ['--version'], { encoding: 'utf8' });
    return (`${r.stdout}${r.stderr}`.split('\n')[0] || '?').trim();
  })();

  const gnuTime = o['rss-via'] === 'proc' ? null : detectGnuTime();
  if (o['rss-via'] === 'time' && !gnuTime) die('GNU time not found at /usr/bin/time (apt-get install time)', 1);
  const rssFile = join(tmp, 'time.out');
  const runOpts = { cwd: process.cwd(), gnuTime, timeoutS: o.timeout, rssFile };

  // Generate the config.
  const text = generateConfig(o.vs, o.rs);
  writeFileSync(conf, text);
  const nLines = text.split('\n').length;

  console.log('keepalived-ts config-parse benchmark (bench/parse.mjs)');
  console.log(`  config      ${fmtInt(o.vs)} virtual_servers x ${fmtInt(o.rs)} real_servers with HTTP_GET: `
    + `${fmtInt(nLines)} lines, ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB`);
  console.log(`  ours        ${oursLabel}`);
  console.log(`  keepalived  ${shown([ka, '-t', '-f', '<conf>', '-l', '-D', '-n', '-p', '…', '-r', '…', '-c', '…'])}  (${kaVersion})`);
  console.log(`  machine     ${cpus().length} x ${cpus()[0]?.model?.trim() ?? '?'}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);

  // Check that keepalived itself accepts the generated config cleanly.
  let check;
  try { check = await runOnce(kaArgv, runOpts); } catch (e) { die(`cannot run keepalived: ${e.message}`, 1); }
  if (check.status !== 0 || check.signal) {
    console.log(`  keepalived -t on the generated config ${describe(check)} — the generator needs fixing. Output:`);
    console.log(headOf(check.out.split(tmp + '/').join('')));
    process.exitCode = 1;
    return;
  }
  const checkOut = check.out.trim();
  console.log(`  validity    keepalived -t: exit 0, ${checkOut ? `${checkOut.split('\n').length} line(s) of output:` : 'no messages'}`);
  if (checkOut) console.log(headOf(checkOut.split(tmp + '/').join(''), 10));

  const rssHow = gnuTime
    ? 'GNU time (/usr/bin/time -f %M): maximum resident set size of the process, highest of the timed runs'
    : 'VmHWM sampled from /proc/<pid>/status every 2 ms, highest of the timed runs (a lower bound; '
      + (o['rss-via'] === 'proc' ? 'chosen by --rss-via proc)' : 'GNU time not found: apt-get install time, for an exact figure)');
  console.log(`  peak RSS    ${rssHow}`);
  console.log(`  runs        ${o.warmup} warm-up + ${o.runs} timed of each, alternating ours/keepalived${o.floor ? "/floor" : ""}; `
    + `wall time = spawn to exit${gnuTime ? ' (through GNU time on every side)' : ''}`);
  console.log('');

  const sides = [
    { name: 'ours', argv: oursArgv, runs: [] },
    { name: 'keepalived', argv: kaArgv, runs: [] },
  ];
  if (o.floor) sides.push({ name: 'node floor', argv: [process.execPath, join(root, 'bench', 'floor.cjs'), conf], runs: [] });
  let failed = false;

  // Warm-up: also checks that both sides run and exit 0 before timing anything.
  for (let w = 0; w < o.warmup; w++) {
    for (const s of sides) {
      let r;
      try { r = await runOnce(s.argv, runOpts); } catch (e) { die(`cannot run ${s.name}: ${shown(s.argv)}: ${e.message}`, 1); }
      if (r.status !== 0 || r.signal) {
        console.log(`${s.name} ${describe(r)} on the warm-up run (${shown(s.argv)}). Output:`);
        console.log(headOf(r.out));
        process.exitCode = 1;
        return;
      }
      if (w === 0 && s.name === 'ours' && r.out.trim()) {
        console.log(`note: ours printed ${r.out.trim().split('\n').length} line(s)`
          + `${checkOut ? '' : ' on a config keepalived -t accepts without a message'}:`);
        console.log(headOf(r.out, 10));
        console.log('');
      }
    }
  }

  for (let i = 0; i < o.runs; i++) {
    for (const s of sides) {
      let r;
      try { r = await runOnce(s.argv, runOpts); } catch (e) { die(`cannot run ${s.name}: ${e.message}`, 1); }
      s.runs.push(r);
      if (r.status !== 0 || r.signal) {
        failed = true;
        console.log(`${s.name} run ${i + 1} ${describe(r)}. Output:`);
        console.log(headOf(r.out, 15));
        console.log('');
      }
    }
    await sleep(20);
  }

  const rows = sides.map((s) => {
    const walls = s.runs.map((r) => r.wall);
    const rss = s.runs.map((r) => r.rssKiB).filter((x) => x != null);
    const exits = [...new Set(s.runs.map(exitOf))].join(',');
    return { name: s.name, med: median(walls), min: Math.min(...walls), max: Math.max(...walls),
      rss: rss.length ? Math.max(...rss) : null, exits };
  });

  const pad = (s, n) => String(s).padStart(n);
  console.log(`${'side'.padEnd(12)}${pad('median', 10)}${pad('min', 10)}${pad('max', 10)}${pad('peak RSS', 12)}${pad('exit', 7)}`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(12)}${pad(fmtS(r.med), 10)}${pad(fmtS(r.min), 10)}${pad(fmtS(r.max), 10)}`
      + `${pad(fmtMiB(r.rss), 12)}${pad(r.exits, 7)}`);
  }
  const [ours, kad] = rows;
  const ratio = ours.med / kad.med;
  const rssRatio = ours.rss && kad.rss ? ` (${(ours.rss / kad.rss).toFixed(1)}x keepalived's)` : '';
  console.log('');
  console.log(`our peak RSS: ${fmtMiB(ours.rss)}${rssRatio}; min-time ratio ${(ours.min / kad.min).toFixed(2)}`);
  console.log(`exit statuses: ours ${ours.exits}, keepalived ${kad.exits}${ours.exits === kad.exits ? ' (agree)' : ' (DISAGREE)'}`);
  const verdict = failed ? 'NOT MEANINGFUL (a run did not exit 0)' : ratio <= o.target ? 'OK' : 'ABOVE TARGET';
  console.log(`ratio ours/keepalived (median) ${ratio.toFixed(2)} (target ≤ ${o.target}): ${verdict}`);
  const floor = rows[2];
  if (floor) {
    console.log(`node floor (bench/floor.cjs: split and dispatch only, no keepalived semantics): `
      + `floor/keepalived ${(floor.med / kad.med).toFixed(2)} (min ${(floor.min / kad.min).toFixed(2)}), `
      + `ours/floor ${(ours.med / floor.med).toFixed(2)}`);
  }
  if (o.icount && !failed) printInstructionCounts(oursArgv, kaArgv);
  if (o.keep) console.log(`kept ${tmp}`);
  if (failed) process.exitCode = 1;
}

/**
 * Instructions retired by one run of each side under valgrind (cachegrind without
 * its cache simulation): repeatable to about 0.1% where wall time on a shared VM
 * swings by 20%, so a change can be judged by it. Node runs with --single-threaded
 * so that GC and JIT work is on the counted thread in a fixed order. Instructions
 * are not time: Node's JIT and GC code retires fewer instructions per cycle than
 * keepalived's C, so the wall-time ratio above is the figure the target is about.
 */
function printInstructionCounts(oursArgv, kaArgv) {
  const valgrind = which('valgrind');
  console.log('');
  if (!valgrind) {
    console.log('instructions: valgrind not found (apt-get install valgrind)');
    return;
  }
  const isNode = (a) => /(^|\/)node(js)?$/.test(a);
  const single = (argv) => (isNode(argv[0]) ? [argv[0], '--single-threaded', ...argv.slice(1)] : argv);
  const count = (argv) => {
    const r = spawnSync(valgrind, ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', ...argv],
      { encoding: 'utf8', timeout: 900_000, maxBuffer: 64 << 20 });
    const m = /I\s+refs:\s+([\d,]+)/.exec(r.stderr ?? '');
    return m ? Number(m[1].replaceAll(',', '')) : null;
  };
  const ours = count(single(oursArgv));
  const ka = count(kaArgv);
  const nodeStart = isNode(oursArgv[0]) ? count([oursArgv[0], '--single-threaded', '-e', '0']) : null;
  const g = (n) => (n == null ? '?' : `${(n / 1e9).toFixed(3)}G`);
  console.log(`instructions (valgrind, one run each): ours ${g(ours)}, keepalived ${g(ka)}`
    + `${ours && ka ? `, ratio ${(ours / ka).toFixed(2)}` : ''}`);
  if (nodeStart != null) console.log(`  of ours, Node's own start-up (node -e 0): ${g(nodeStart)}`);
}

main().catch((e) => { console.error(e?.stack ?? String(e)); cleanup(); process.exit(1); });
