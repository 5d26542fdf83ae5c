export * from './errors.js';
export * from './log.js';
export * from './money.js';
export * from './password.js';
export * from './paths.js';
export * from './services.js';
export * from './sqlite.js';
export * from './validation.js';
