// Bundles the CLI (dist/ from tsc) into one CommonJS file and writes the `bin` that runs it with a
// V8 code cache (docs/adr/002-bundled-bin.md, docs/adr/004-code-cache.md):
//   dist/cli/keepalived-ts-main-<hash>.cjs        the bundle (<hash>: of its content)
//   dist/cli/keepalived-ts-main-<hash>.cjs.cache  V8's code cache for it, made by a `-t` run
//   dist/cli/keepalived-ts.cjs                    the bin (scripts/bin.cjs with those names)
// Why: Node 20 has neither a module compile cache nor a code cache for ES modules; resolving,
// reading and compiling ~70 ESM files cost ~150 ms of every `keepalived-ts -t` (bench:parse),
// one bundle a fraction of that, and its code cache ~15-30 ms more. The daemon's modules stay
// lazily evaluated (a dynamic import in main.ts) and pino stays an external package (its
// transports resolve files at run time). Everything sits next to dist/cli/main.js so the
// relative paths (../../package.json, ../../native/…) resolve the same.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/cli');
// Outputs carry a content hash: drop the previous build's.
for (const f of readdirSync(out)) if (/^keepalived-ts.*\.(mjs|cjs|json|cache|tmp)$/.test(f)) rmSync(join(out, f));
// commander requires node:child_process when it loads, for executable subcommands we never
// use; loading that builtin is ~60M instructions (several ms) of every start. Give commander a
// stand-in that loads it on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'kts-lazy' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'kts-lazy' }, () => ({
      contents:
        "let cp;\nconst load = () => (cp ??= require('node:child_process'));\n"
        + 'module.exports = new Proxy({}, { get: (_t, k) => load()[k], has: (_t, k) => k in load() });\n',
      loader: 'js',
    }));
  },
};
const staging = join(out, 'keepalived-ts-main.cjs');
await build({
  plugins: [lazyChildProcess],
  entryPoints: [join(root, 'dist/cli/main.js')],
  outfile: staging,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['pino'],
  // ES module sources find package.json and the native addon from import.meta.url; a CommonJS
  // bundle has __filename instead (the bundle sits where main.js does, so the paths hold).
  define: { 'import.meta.url': '__ktsImportMetaUrl' },
  banner: { js: "var __ktsImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  logLevel: 'warning',
});
const hash = createHash('sha256').update(readFileSync(staging)).digest('hex').slice(0, 12);
const bundleName = `keepalived-ts-main-${hash}.cjs`;
renameSync(staging, join(out, bundleName));
const bin = join(out, 'keepalived-ts.cjs');
writeFileSync(
  bin,
  readFileSync(join(root, 'scripts/bin.cjs'), 'utf8')
    .replace("'__BUNDLE__'", JSON.stringify(bundleName))
    .replace("'__CACHE__'", JSON.stringify(`${bundleName}.cache`)),
);
chmodSync(bin, 0o755);

// The code cache: `-t` over the project's own configs, so the reader's functions are in it.
// A root path with blanks can't be an include word: then the first seed config alone.
const work = mkdtempSync(join(tmpdir(), 'kts-code-cache-'));
try {
  let config = join(root, 'conf/c2-keepalived.conf');
  if (!/\s/.test(root)) {
    config = join(work, 'all.conf');
    writeFileSync(config, `include ${join(root, 'conf')}/*.conf\ninclude ${join(root, 'conf/examples')}/*.conf\n`);
  }
  const r = spawnSync(process.execPath, [join(root, 'scripts/code-cache.cjs'), bin, config], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`code cache: exit ${r.status}\n${r.stderr}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
