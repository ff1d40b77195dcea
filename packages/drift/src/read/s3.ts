import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import { DataError } from './errors.ts';
import { type DataFormat, formatOf, type Source } from './source.ts';

const UNREACHABLE = { unreachable: true };

/**
 * The client for s3:// locations. Credentials and region come from the SDK's usual chain
 * (AWS_ACCESS_KEY_ID, profiles, IRSA ...); AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL points it at an
 * S3-compatible store (MinIO, Ceph, the test server), which needs path-style addressing.
 */
function client(): S3Client {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return new S3Client({
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
}

/** Turns SDK and network failures into one line naming the object. */
function describe(location: string, error: unknown): DataError {
  const e = error as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if (e.name === 'NoSuchKey' || e.name === 'NotFound')
    return new DataError(`${location}: no such object`, UNREACHABLE);
  if (e.name === 'NoSuchBucket') return new DataError(`${location}: no such bucket`, UNREACHABLE);
  if (e.code === 'ECONNREFUSED' || e.name === 'TimeoutError')
    return new DataError(`${location}: unreachable (${e.code ?? e.name})`, UNREACHABLE);
  const status = e.$metadata?.httpStatusCode;
  return new DataError(
    `${location}: ${e.name ?? 'error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`,
    UNREACHABLE,
  );
}

function parse(location: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (!match) throw new DataError(`${location}: expected s3://BUCKET/KEY or s3://BUCKET/PREFIX/`);
  return { bucket: match[1] as string, key: match[2] ?? '' };
}

function objectSource(
  s3: S3Client,
  bucket: string,
  key: string,
  size: number | undefined,
  format: DataFormat,
): Source {
  const name = `s3://${bucket}/${key}`;
  return {
    name,
    format,
    ...(size !== undefined ? { size } : {}),
    location: { url: name },
    open: async () => {
      try {
        const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return response.Body as AsyncIterable<Uint8Array>;
      } catch (error) {
        throw describe(name, error);
      }
    },
    asyncBuffer: async (): Promise<AsyncBuffer> => {
      const length =
        size ??
        (
          await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch((error: unknown) => {
            throw describe(name, error);
          })
        ).ContentLength ??
        0;
      return {
        byteLength: length,
        slice: async (start, end) => {
          const range = `bytes=${start}-${(end ?? length) - 1}`;
          const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
          const bytes = await response.Body?.transformToByteArray();
          return bytes
            ? (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
            : new ArrayBuffer(0);
        },
      };
    },
  };
}

/**
 * s3://bucket/key is one object; s3://bucket/prefix/ (or just s3://bucket) is every data object
 * under the prefix, in key order.
 */
export async function resolveS3Sources(location: string, forced?: DataFormat): Promise<Source[]> {
  const { bucket, key } = parse(location);
  const s3 = client();
  if (key !== '' && !key.endsWith('/')) {
    const format = forced ?? formatOf(key);
    if (!format)
      throw new DataError(
        `${location}: unknown data format; use a .csv, .jsonl or .parquet key or pass --format`,
      );
    return [objectSource(s3, bucket, key, undefined, format)];
  }
  const sources: Source[] = [];
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token }),
      );
    } catch (error) {
      throw describe(location, error);
    }
    for (const object of page.Contents ?? []) {
      const format = object.Key ? (forced ?? formatOf(object.Key)) : undefined;
      if (object.Key && format) sources.push(objectSource(s3, bucket, object.Key, object.Size, format));
    }
    token = page.NextContinuationToken;
  } while (token);
  if (sources.length === 0)
    throw new DataError(`${location}: no .csv, .jsonl or .parquet objects under this prefix`);
  return sources.sort((a, b) => a.name.localeCompare(b.name));
}
