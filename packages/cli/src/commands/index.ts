import type { Command } from '../command.ts';
import { contractCommand } from './contract.ts';
import { driftCommand } from './drift.ts';
import { operatorCommand } from './operator.ts';
import { versionCommand } from './version.ts';

/** Every top-level subcommand; `steward help` lists them in this order. */
export const commands: readonly Command[] = [versionCommand, operatorCommand, contractCommand, driftCommand];
