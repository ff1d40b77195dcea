/** What the global setup hands every integration test file about the run's control plane. */
export interface SharedControlPlane {
  kubeconfigPath: string;
  hasControllerManager: boolean;
  /** Empty when the suites run against an existing cluster (USE_EXISTING_CLUSTER=true). */
  logsDir: string;
}

/** What the end-to-end tier's global setup adds: the node (or an existing cluster's nodes). */
export interface SharedNode {
  /** The Steward image as the nodes know it; Pods use it with imagePullPolicy Never. */
  stewardImage: string;
  /** The address Pods reach the test host on (a TCP server the test starts). */
  hostIp: string;
  /** kubectl built from the pinned Kubernetes module; empty against an existing cluster. */
  kubectl: string;
  /** kubelet, containerd and kube-scheduler logs; empty against an existing cluster. */
  logsDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stewardControlPlane: SharedControlPlane;
    stewardNode: SharedNode;
  }
}
