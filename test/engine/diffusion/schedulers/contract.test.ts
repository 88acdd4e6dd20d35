import { schedulerContract } from './schedulerContract.js';

// Euler and DDIM keep no history; PNDM keeps 4 eps + the stored sample + the combined eps;
// DPM-Solver++(2M) keeps the last 2 x0 predictions; LCM one noise buffer and at most 50 steps. Float32 = 4 bytes.
schedulerContract({ kind: 'euler', expectedLength: (n) => n, historyBytes: () => 0 });
schedulerContract({ kind: 'ddim', expectedLength: (n) => n, historyBytes: () => 0 });
schedulerContract({ kind: 'pndm', expectedLength: (n) => (n === 1 ? 1 : n + 1), historyBytes: (len) => 6 * len * 4 });
schedulerContract({ kind: 'dpmpp2m', expectedLength: (n) => n, historyBytes: (len) => 2 * len * 4 });
schedulerContract({ kind: 'lcm', expectedLength: (n) => n, historyBytes: (len) => len * 4, maxSteps: 50 });
