#!/usr/bin/env node
// The `synesthete` command. A CommonJS launcher on purpose: libuv's thread pool starts on the first
// asynchronous job, and Node's ES module loader reads modules with one, so a setting made in an ES
// module comes too late (the pool would stay at 4 threads). Audio output and input each keep a pool
// thread busy for the whole show, a lost device blocks another, and fs, zlib and dns share the rest
// (docs/audio-output.md): 16 threads. This file is read synchronously, before the pool exists.
process.env.UV_THREADPOOL_SIZE ??= '16';
void import('./program.js');
