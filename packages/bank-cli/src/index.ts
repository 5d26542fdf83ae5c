/** Programmatic use (benchmarks, other front ends): the same use cases the CLI runs. */
export { openBank, type OpenedBank } from './app.js';
export { resolveConfig, type BankConfig } from './config.js';
export type { Bank } from './domain/bank.js';
export * from './domain/accounts.js';
export * from './domain/admin.js';
export * from './domain/auth.js';
export * from './domain/history.js';
export * from './domain/payments.js';
export * from './domain/views.js';
export * from './domain/statement.js';
export * from './domain/interest.js';
export * from './domain/pricing.js';
export * from './domain/loans.js';
export * from './domain/two-factor.js';
export { findDiscrepancies } from './domain/verify.js';
export { isValidAccountNumber, parseAccountNumber } from './domain/account-number.js';
