/** What the global setup hands every integration test file about the run's control plane. */
export interface SharedControlPlane {
  kubeconfigPath: string;
  hasControllerManager: boolean;
  /** Empty when the suites run against an existing cluster (USE_EXISTING_CLUSTER=true). */
  logsDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stewardControlPlane: SharedControlPlane;
  }
}
