/**
 * Stage 3: the keyword walk, run the way keepalived 2.2.7 runs it: one pass per
 * process (parent → checker → VRRP → BFD), each with its own top-level keywords
 * active and the others skipped, each child pass followed by its validation.
 * Messages repeated by several passes are reported once.
 */
import type { Diagnostic } from './diagnostics.js';
import { DiagnosticSink, MissingParameter, StmtStream, keywordIndex, processStream } from './engine.js';
import { suggestKeyword } from './suggest.js';
import type { BlockSpec, KeywordSpec, Pass } from './engine.js';
import type { StmtList } from './stmt.js';
import type { HostFacts } from './host.js';
import type { BuildState, Config } from './model.js';
import { createGlobalSection, globalRootKeywords, validateGlobal } from './schema/global-defs.js';
import { checkScriptSecurity } from './schema/script.js';
import { checkerRootKeywords, createLvsSection, validateLvs } from './schema/virtual-server.js';
import { createVrrpSection, validateVrrp, vrrpRootKeywords, vrrpScriptSecurityApplies } from './schema/vrrp.js';

export const rootSpec: BlockSpec<BuildState> = {
  name: 'top level',
  keywords: {
    ...(globalRootKeywords as Record<string, KeywordSpec<BuildState>>),
    ...(vrrpRootKeywords as Record<string, KeywordSpec<BuildState>>),
    ...(checkerRootKeywords as Record<string, KeywordSpec<BuildState>>),
  },
};

export interface BuildResult {
  readonly config: Config;
  readonly diagnostics: Diagnostic[];
  /** Set when keepalived would have exited at once with status 2 (missing parameter). */
  readonly aborted: boolean;
}

const allKeywords = keywordIndex(rootSpec as BlockSpec<unknown>);
// A hint costs a few ms (edit distance over every keyword): memoise, and stop hinting in a
// file that is mostly noise, so hostile input stays linear.
const MAX_HINTS = 200;
function makeSuggester(): (block: string, word: string, known: readonly string[]) => string | undefined {
  const memo = new Map<string, string | undefined>();
  return (block, word, known) => {
    const key = `${block}\0${word}`;
    if (memo.has(key)) return memo.get(key);
    if (memo.size >= MAX_HINTS) return undefined;
    const hint = suggestKeyword(block, word, known, allKeywords);
    memo.set(key, hint);
    return hint;
  };
}

const PASSES: readonly Pass[] = ['parent', 'checker', 'vrrp', 'bfd'];

export function buildConfig(stmts: StmtList, host: HostFacts, sink: DiagnosticSink): BuildResult {
  const config: Config = {
    global: createGlobalSection(host),
    vrrp: createVrrpSection(),
    lvs: createLvsSection(),
    trackFiles: new Map(),
    trackFileInits: [],
  };
  const scripts: BuildState['scripts'] = [];
  const suggest = makeSuggester();
  try {
    for (const pass of PASSES) {
      const state: BuildState = { config, host, pass, reporter: sink, scripts };
      if (pass === 'vrrp') {
        // each process reads its own copy
        config.trackFiles.clear();
        config.trackFileInits.length = 0;
      }
      processStream(new StmtStream(stmts), rootSpec, state, { reporter: sink, pass, shared: state, suggest }, 0, false);
      if (pass === 'parent') validateGlobal(state);
      if (pass === 'checker') validateLvs(state);
      if (pass === 'vrrp') validateVrrp(state);
    }
    const last: BuildState = { config, host, pass: 'vrrp', reporter: sink, scripts };
    checkScriptSecurity(last, (sub) => sub !== 'vrrp' || vrrpScriptSecurityApplies(last));
  } catch (e) {
    if (e instanceof MissingParameter) {
      sink.add(e.diagnostic);
      return { config, diagnostics: sink.list, aborted: true };
    }
    throw e;
  }
  return { config, diagnostics: sink.list, aborted: false };
}
