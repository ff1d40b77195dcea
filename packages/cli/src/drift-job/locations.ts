import { PVC_MOUNT_ROOT } from '@steward/api';
import { DataError, localLocation } from '@steward/drift';

/**
 * The location the drift readers take for a source URI: a path for file:// and pvc:// (a local path, so
 * readsInWorker can see a small file and read it in process), the URL itself
 * for s3://, http:// and https://. gs:// and az:// pass admission but have no reader yet.
 */
export function locationOf(uri: string, pvcRoot = PVC_MOUNT_ROOT): string {
  const url = new URL(uri);
  switch (url.protocol) {
    case 'file:':
      return localLocation(uri);
    case 'pvc:':
      return `${pvcRoot}/${url.hostname}${decodeURIComponent(url.pathname)}`;
    case 's3:':
    case 'http:':
    case 'https:':
      return uri;
    default:
      throw new DataError(
        `${uri}: ${url.protocol}// sources are not readable yet; use s3://, https://, file:// or pvc://`,
      );
  }
}
