// Bundles the CLI (dist/ from tsc) into one ES module, dist/cli/keepalived-ts.mjs: the `bin`.
// Why: Node 20 has no module compile cache, and resolving, reading and linking ~70
// ESM files cost ~150 ms of every `keepalived-ts -t` (bench:parse). One file loads in
// a fraction of that. The daemon stays lazily evaluated (a dynamic import in main.ts)
// and pino stays an external package (its transports resolve files at run time).
// The bundle sits next to dist/cli/main.js so its relative paths (../../package.json,
// ../../native/…) resolve the same.
import { build } from 'esbuild';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/cli');
// Chunk names carry a content hash: drop the previous build's.
for (const f of readdirSync(out)) if (/^keepalived-ts.*\.(mjs|json)$/.test(f)) rmSync(join(out, f));
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
const result = await build({
  plugins: [lazyChildProcess],
  entryPoints: [join(root, 'dist/cli/main.js')],
  outdir: out,
  entryNames: 'keepalived-ts',
  // Chunks stay in dist/cli/ so import.meta.url-relative paths (native addon, package.json) hold.
  chunkNames: 'keepalived-ts-[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // The daemon (a dynamic import in main.ts) goes to its own chunk: `-t` never reads it.
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['pino'],
  // CommonJS dependencies (commander, nearley, moo) call require(); give the ES module one.
  banner: { js: "import { createRequire as __ktsCreateRequire } from 'node:module';\nconst require = __ktsCreateRequire(import.meta.url);" },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
// What each output holds and imports, statically or dynamically: test/process/cli.test.ts
// checks from it that `-t` never loads the daemon.
writeFileSync(join(out, 'keepalived-ts.meta.json'), JSON.stringify(result.metafile, null, 1));
