import { searchWords } from '../rows.js';

/**
 * Turn what a shopper typed into an FTS5 query: every word must appear, each
 * as a prefix ("blue sho" finds "Blue Shoes"). Words are quoted, so FTS5
 * operators and syntax characters in the input are plain text and can never
 * make the query invalid. '' means there was nothing to search for.
 */
export function ftsQuery(input: string): string {
  return searchWords(input)
    .map((word) => `"${word}"*`)
    .join(' ');
}
