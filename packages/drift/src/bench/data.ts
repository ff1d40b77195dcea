import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';

/** Deterministic standard normals (LCG + Box-Muller): every run benchmarks the same data. */
export function normals(n: number, mean: number, seed: number): Float64Array {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = mean + Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

export async function writeFloat64(path: string, values: Float64Array): Promise<void> {
  await writeFile(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** Numeric columns print with full precision (~18 characters) and labels are ~35: 1M rows make about 1 GB. */
export const WIDE_NUMERIC = 44;
export const WIDE_CATEGORICAL = 6;

/** Writes the wide CSV once; later runs reuse it (the file is the same for the same row count). */
export async function ensureWideCsv(path: string, rows: number): Promise<number> {
  const existing = await stat(path).catch(() => undefined);
  if (existing && existing.size > 0) return existing.size;
  const out = createWriteStream(`${path}.partial`);
  const header = [
    ...Array.from({ length: WIDE_NUMERIC }, (_, i) => `x${i}`),
    ...Array.from({ length: WIDE_CATEGORICAL }, (_, i) => `c${i}`),
  ];
  out.write(`${header.join(',')}\n`);
  const block = 10_000;
  for (let start = 0; start < rows; start += block) {
    const columns = Array.from({ length: WIDE_NUMERIC }, (_, i) => normals(block, i, start + i * 7919 + 1));
    let text = '';
    for (let r = 0; r < block; r++) {
      const cells: string[] = columns.map((c) => String(c[r]));
      for (let c = 0; c < WIDE_CATEGORICAL; c++)
        cells.push(`customer-segment-${(r * (c + 3) + start) % (20 + c * 40)}-region-north-${c}`);
      text += `${cells.join(',')}\n`;
    }
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const { rename } = await import('node:fs/promises');
  await rename(`${path}.partial`, path);
  return (await stat(path)).size;
}
