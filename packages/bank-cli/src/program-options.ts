import type { CommandResult, GlobalOptions } from './commands/context.js';

/** What program.ts and program-features.ts share, below both: the merged options and the action adapter's type. */
export type Options = GlobalOptions & Record<string, string | boolean | string[] | undefined>;
export type Run = (
  handler: (o: Options, args: string[], own: Options, root: GlobalOptions) => Promise<CommandResult>,
) => (...args: unknown[]) => Promise<void>;

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
