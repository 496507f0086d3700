// Makes the V8 code cache of the bundled CLI (docs/adr/004-code-cache.md); scripts/bundle.mjs
// runs it after each build:
//   node scripts/code-cache.cjs dist/cli/keepalived-ts.cjs CONFIG
// It compiles the bundle exactly as the bin does, runs `-t -q -f CONFIG` in this process, and
// at exit writes the cache: the bytecode of every function that run compiled, so a later `-t`
// compiles only what this config did not reach.
'use strict';
const { renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const [binPath, config] = process.argv.slice(2);
if (!binPath || !config) {
  process.stderr.write('usage: node scripts/code-cache.cjs BIN CONFIG\n');
  process.exit(2);
}
const bin = require(path.resolve(binPath));
const { script } = bin.compile(false);
// V8 accepts a cache only under the flags it was made with. `-t` changes heap flags at run
// time (src/cli/v8-flags.ts), after the bin has compiled the bundle: made under those, the cache
// would be refused by every later start. So this run keeps V8's start-up flags.
require('node:v8').setFlagsFromString = () => {};
process.argv = [process.argv[0], path.resolve(binPath), '-t', '-q', '-f', config];
process.on('exit', () => {
  // Written aside and renamed: a build cut short leaves no half cache behind.
  writeFileSync(`${bin.CACHE}.tmp`, script.createCachedData());
  renameSync(`${bin.CACHE}.tmp`, bin.CACHE);
  // The config's own verdict is not this script's.
  process.exitCode = 0;
});
bin.run(script);
