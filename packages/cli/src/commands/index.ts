import type { CommandEntry } from '../command.ts';

/**
 * Every `steward` command, one module each, imported only when it runs. `steward help` lists them in
 * this order; a name of two words is a subcommand of its group ('contract diff'). A new command is
 * one file exporting `command` (see version.ts) and one row here.
 */
export const commands: readonly CommandEntry[] = [
  { name: 'version', summary: 'print the steward version', load: () => import('./version.ts') },
  {
    name: 'operator',
    summary: 'run the Steward controllers (the operator process)',
    load: () => import('./operator.ts'),
  },
  {
    name: 'contract diff',
    summary: 'classify the changes between two output contract versions',
    load: () => import('./contract-diff.ts'),
  },
  {
    name: 'contract validate',
    summary: 'check sample predictions (JSON Lines) against an output contract',
    load: () => import('./contract-validate.ts'),
  },
  {
    name: 'check',
    summary: 'run the ModelDeployment rollout gates offline on manifests (CI before merge)',
    load: () => import('./check.ts'),
  },
  {
    name: 'card render',
    summary: 'print the model card of a ModelDeployment manifest (Markdown, or -o json ML-BOM)',
    load: () => import('./card-render.ts'),
  },
  {
    name: 'drift profile',
    summary: 'summarise data into a mergeable baseline profile',
    load: () => import('./drift-profile.ts'),
  },
  {
    name: 'drift check',
    summary: 'check current data for drift against a baseline',
    load: () => import('./drift-check.ts'),
  },
  {
    name: 'job drill-check',
    summary: 'fire-drill check: detect drift injected into a copy of a DriftMonitor baseline',
    load: () => import('./job-drill-check.ts'),
  },
  {
    name: 'job drift-check',
    summary: "run a DriftMonitor's check (the entry point of its CronJob) and report the values",
    load: () => import('./job-drift-check.ts'),
  },
];
