import { homedir } from 'node:os';
import { join } from 'node:path';

export type ToolName = 'bank' | 'shop' | 'chat' | 'filecrypt';
type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where a tool keeps its files. `<TOOL>_DATA_DIR` (BANK_DATA_DIR, SHOP_DATA_DIR,
 * CHAT_DATA_DIR, FILECRYPT_DATA_DIR) wins; otherwise the platform's data
 * directory: $XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application
 * Support on macOS, %LOCALAPPDATA% on Windows; always under `quartet/<tool>`.
 */
export function dataDir(tool: ToolName, env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env[`${tool.toUpperCase()}_DATA_DIR`];
  if (override) return override;
  return join(platformDataHome(env, platform), 'quartet', tool);
}

function platformDataHome(env: Env, platform: NodeJS.Platform): string {
  const home = env['HOME'] || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env['LOCALAPPDATA'] || join(home, 'AppData', 'Local');
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env['XDG_DATA_HOME'];
  return xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share');
}
