/**
 * `pvc://<claim>/<path>` sources: the operator mounts each claim read-only into the Pod that reads the data,
 * under one root, and the reader in that Pod resolves the URI to a path below it. Both sides take the
 * root and the claim names from here, so a mount and a lookup cannot disagree.
 */
export const PVC_MOUNT_ROOT = '/var/run/steward/pvc';

const PVC_SCHEME = 'pvc://';

/** The claims the pvc:// URIs among `uris` name, sorted and each once (a claim is mounted once). */
export function pvcClaims(uris: readonly (string | undefined)[]): string[] {
  const claims = uris.flatMap((uri) => (uri?.startsWith(PVC_SCHEME) ? [new URL(uri).hostname] : []));
  return [...new Set(claims)].sort();
}
