#!/usr/bin/env node
// The train Job's entry point (see cli.ts).
import { processIo, runTrain } from './cli.ts';

process.exitCode = await runTrain(process.argv.slice(2), processIo());
