import { fileURLToPath } from 'node:url';

// This module sits at the top of src/, so its built copy is one level under the package root both in
// dist/ (tsc's output) and in bundle/ (the esbuild bundle the bin runs): files shipped beside the code
// resolve alike from either.
const packageRoot = new URL('../', import.meta.url);

/** The absolute path of a file shipped in the package (package.json, migrations/). */
export function packageFile(relativePath: string): string {
  return fileURLToPath(new URL(relativePath, packageRoot));
}
