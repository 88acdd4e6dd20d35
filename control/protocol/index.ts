/** The show's one protocol: commands, parameters, state and events. Browser-safe (zod only). */
export * from './commands.js';
export * from './parameters.js';
export * from './state.js';
export * from './summary.js';
export * from './visualState.js';
