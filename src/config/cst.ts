/** The generic tree the grammar produces: no keyword knowledge. */
import type { Token } from './lexer.js';

export interface Line {
  readonly kind: 'line';
  readonly words: Token[];
}
export interface Block {
  readonly kind: 'block';
  readonly open: Token;
  readonly items: Item[];
  /** Undefined when the block is still open at end of input. */
  readonly close: Token | undefined;
}
export interface Stray {
  readonly kind: 'stray';
  readonly token: Token;
}
export type Item = Line | Block | Stray;
