#!/usr/bin/env node
// keepalived-ts: the package's `bin` (dist/cli/keepalived-ts.cjs, written by scripts/bundle.mjs
// from this template). It runs the bundled CLI with the V8 code cache that the build made for
// it, so a start compiles next to none of the bundle (docs/adr/004-code-cache.md).
//
// The bundle and its cache carry the bundle's content hash in their names: a cache can only
// ever meet the bundle it was made from. V8 checks the cache's checksum (a damaged cache would
// otherwise crash the process). Without the cache file, or when V8 refuses it (damaged, another
// Node, other V8 flags on the command line), the bundle is compiled as usual.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const { createRequire } = require('node:module');
const { setFlagsFromString } = require('node:v8');

const BUNDLE = join(__dirname, '__BUNDLE__');
const CACHE = join(__dirname, '__CACHE__');

/** The bundle as a CommonJS function, compiled with the code cache when there is a usable one. */
function compile(useCache = true) {
  // Release builds of V8 trust a code cache's payload; this makes V8 checksum it, both when the
  // build makes it and here. It is part of V8's flag hash, so both sides must set it.
  setFlagsFromString('--verify-snapshot-checksum');
  const source = readFileSync(BUNDLE, 'utf8');
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CACHE);
    } catch {
      cachedData = undefined;
    }
  }
  // The same wrapper as Node's own CommonJS loader; a `#!` line is only valid at a script's start.
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${body}\n})`, {
    filename: BUNDLE,
    cachedData,
  });
  return { script, cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted' };
}

/** Runs the CLI (it reads process.argv). */
function run(script) {
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(BUNDLE), mod, BUNDLE, __dirname);
}

module.exports = { compile, run, BUNDLE, CACHE };
if (require.main === module) run(compile().script);
