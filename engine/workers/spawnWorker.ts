import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `name` (without extension) that sits next to `fromModule` (pass
 * import.meta.url). From compiled JS that is a sibling .js file; under vitest/tsx it is a .ts file,
 * which a worker can only load after registering tsx's loader in its own thread.
 */
export function spawnWorker(fromModule: string, name: string): Worker {
  const fromSource = fromModule.endsWith('.ts');
  if (!fromSource) return new Worker(new URL(`./${name}.js`, fromModule));
  const url = new URL(`./${name}.ts`, fromModule).href;
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); });`,
    { eval: true });
}
