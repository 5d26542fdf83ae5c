/**
 * age's scrypt work factors (log2 N): it writes 18 and reads at most 22. In
 * a module of their own, without imports, so that the flag parsing that
 * every run does (config.ts, program.ts) does not load the scrypt code.
 */
export const DEFAULT_SCRYPT_LOG_N = 18;
export const DEFAULT_MAX_WORK_FACTOR = 22;
