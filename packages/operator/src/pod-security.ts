import type { V1SecurityContext } from '@kubernetes/client-node';

/**
 * The container half of Pod Security `restricted` that every Pod Steward creates carries (model servers,
 * drift checks, training Jobs): non-root, no privilege escalation, no capabilities, read-only root
 * filesystem (each Pod mounts an emptyDir where it must write). A fresh object each call, so no manifest
 * shares (and could mutate) another's.
 */
export function restrictedContainerSecurityContext(): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}
