// Developer tool: prints where our -t verdict differs from keepalived's on the corpus.
// npx tsx scripts/corpus-diff.ts [filter]
import { configPath, corpusDir, keepalivedVerdict, readLog, readManifest } from '../test/corpus/keepalived-verdict.js';
import { ourVerdict } from '../test/corpus/our-verdict.js';
import { formatKeepalivedStyle } from '../src/config/index.js';

const dir = corpusDir();
if (!dir) throw new Error('no corpus');
const filter = process.argv[2] ?? '';
let same = 0;
let total = 0;
for (const row of readManifest(dir)) {
  if (!row.file.includes(filter)) continue;
  total++;
  const t = keepalivedVerdict(row, readLog(dir, row));
  const o = ourVerdict(configPath(dir, row));
  const ok = o.exit === t.exit && o.nonHostLines.join() === t.nonHostLines.join();
  if (ok) { same++; continue; }
  const missing = t.nonHostLines.filter((l) => !o.nonHostLines.includes(l));
  const extra = o.nonHostLines.filter((l) => !t.nonHostLines.includes(l));
  console.log(`\n## ${row.file}: exit ours ${o.exit} theirs ${t.exit}; missing lines ${missing.join(',')}; extra lines ${extra.join(',')}`);
  if (filter) {
    for (const m of t.messages) if (!m.host) console.log(`  KA  ${m.raw}`);
    for (const d of o.diagnostics) console.log(`  US  ${d.kaClass} ${d.host ? 'host ' : ''}${formatKeepalivedStyle(d)}`);
  } else {
    for (const m of t.messages.filter((m) => m.line !== undefined && missing.includes(m.line)).slice(0, 3)) console.log(`  KA only: ${m.raw}`);
    for (const d of o.diagnostics.filter((d) => d.loc && extra.includes(d.loc.line)).slice(0, 3)) console.log(`  US only: ${formatKeepalivedStyle(d)}`);
  }
}
console.log(`\n${same}/${total} agree`);
