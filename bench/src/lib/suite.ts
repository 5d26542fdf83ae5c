import type { SuiteResult } from './report.js';

export interface SuiteContext {
  /** The repository root. */
  root: string;
  /** Smaller inputs and fewer steps: checks that the suite works, not how fast. */
  quick: boolean;
  log: (line: string) => void;
}

export type Suite = (ctx: SuiteContext) => Promise<SuiteResult>;
