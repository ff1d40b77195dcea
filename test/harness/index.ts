export { locateBinaries } from './binaries.ts';
export { sharedControlPlaneInfo, testKubeConfig, useTestNamespace } from './context.ts';
export { type ControlPlane, type ControlPlaneOptions, startControlPlane } from './controlplane.ts';
export { eventually } from './eventually.ts';
export { identitiesWithRole, kubeConfigForServiceAccount, loadKubeConfig } from './kubeconfig.ts';
export { isRunning, onJsonLines } from './processes.ts';
export type { SharedControlPlane } from './shared.ts';
