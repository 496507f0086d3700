# The shape of a keepalived.conf after preprocessing (src/config/load.ts):
# lines of words (bare or "quoted"), and blocks between lines that are a lone
# `{` and a lone `}`. It knows no keyword: which lines own which block, and what
# the words mean, is decided by the keyword tables (src/config/schema/).
#
# keepalived tolerates unbalanced braces, so the grammar does too: a stray `}`
# at top level is an item of its own, and blocks still open at end of input are
# closed by it ("unclosed"). Tokens come from src/config/lexer.ts through a
# small adapter (src/config/parse.ts); each ends a line with an `eol` token.
# Since a line's words never change the structure, the reader's statement
# stream is parsed from one `word` per words line (cached by line kinds);
# parseTree() feeds every token.

@preprocessor typescript

@{%
import type { Token } from '../lexer.js';
import type { Item, Line, Block } from '../cst.js';

const tok = (type: string) => ({ test: (t: Token) => t.type === type });
const word = tok('word');
const qstring = tok('qstring');
const lbrace = tok('lbrace');
const rbrace = tok('rbrace');
const eol = tok('eol');

const line = (d: any[]): Line => ({ kind: 'line', words: d[0] });
const block = (d: any[]): Block => ({ kind: 'block', open: d[0], items: d[2], close: d[3] });
const unclosed = (d: any[]): Block[] => {
  const b: Block = { kind: 'block', open: d[0], items: d[2], close: undefined };
  return d[3] ? [b, ...d[3]] : [b];
};
%}

file      -> top:* unclosed:?      {% (d): Item[] => d[1] ? [...d[0], ...nest(d[1])] : d[0] %}
top       -> line                   {% id %}
           | block                  {% id %}
           | stray                  {% id %}
stray     -> %rbrace %eol           {% (d): Item => ({ kind: 'stray', token: d[0] }) %}
block     -> %lbrace %eol inner:* %rbrace %eol {% block %}
unclosed  -> %lbrace %eol inner:* unclosed:?   {% unclosed %}
inner     -> line                   {% id %}
           | block                  {% id %}
line      -> word:+ %eol            {% line %}
word      -> %word                  {% id %}
           | %qstring               {% id %}

@{%
function nest(chain: Block[]): Item[] {
  // unclosed blocks arrive outermost first; each one holds the next as its last item
  let inner: Block | undefined;
  for (let i = chain.length - 1; i >= 0; i--) {
    const b = chain[i] as Block;
    inner = inner ? { ...b, items: [...b.items, inner] } : b;
  }
  return inner ? [inner] : [];
}
%}
