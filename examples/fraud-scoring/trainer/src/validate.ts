#!/usr/bin/env node
// The validate Job's entry point (see cli.ts).
import { processIo, runValidate } from './cli.ts';

process.exitCode = await runValidate(process.argv.slice(2), processIo());
