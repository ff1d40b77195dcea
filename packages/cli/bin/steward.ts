#!/usr/bin/env -S node --disable-warning=ExperimentalWarning
import { run } from '../src/index.ts';

process.exitCode = await run(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
