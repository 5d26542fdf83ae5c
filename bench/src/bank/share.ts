/** `perSec` as a whole percentage of `of`, the form the bank tables' share columns use. */
export function share(perSec: number, of: number): string {
  return `${Math.round((100 * perSec) / of)}%`;
}
