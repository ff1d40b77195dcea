#!/usr/bin/env -S node --disable-warning=ExperimentalWarning
// The one JavaScript file of the CLI, on purpose: Node strips TypeScript types with a WebAssembly
// compiler it loads on the first .ts module (~17 MB RSS, ~0.1 s). Its compile cache keeps the stripped
// modules on disk, so a cached start loads no compiler at all; only this entry, which has to switch the
// cache on before any .ts module loads, could not come from the cache.
import { enableCompileCache } from 'node:module';

// NODE_COMPILE_CACHE picks the directory (default: the OS temp dir), NODE_DISABLE_COMPILE_CACHE=1 turns
// it off; Node ignores a directory it cannot write, which only loses the saving (docs/cli.md).
enableCompileCache();

const { run } = await import('../src/index.ts');

process.exitCode = await run(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
