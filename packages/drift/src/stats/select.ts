import { endianness } from 'node:os';

// Quantile bins without sorting: the reference's bin edges come from a multi-rank quickselect
// (expected O(n log bins)) and each value finds its bin by binary search over the edges. For PSI on
// a million rows this is several times cheaper than sorting both samples.

/** Below this many values a range is simply sorted: partitioning overhead dominates. */
const SORT_BELOW = 32;

function selectInto(
  a: Float64Array,
  lo: number,
  hi: number,
  ranks: number[],
  out: Map<number, number>,
): void {
  if (ranks.length === 0) return;
  if (hi - lo < SORT_BELOW) {
    a.subarray(lo, hi + 1).sort();
    for (const r of ranks) out.set(r, a[r] as number);
    return;
  }
  // Median of three guards against already sorted input.
  const mid = (lo + hi) >>> 1;
  const x = a[lo] as number;
  const y = a[mid] as number;
  const z = a[hi] as number;
  const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
  let i = lo;
  let j = hi;
  while (i <= j) {
    while ((a[i] as number) < pivot) i++;
    while ((a[j] as number) > pivot) j--;
    if (i <= j) {
      const t = a[i] as number;
      a[i] = a[j] as number;
      a[j] = t;
      i++;
      j--;
    }
  }
  // Now a[lo..j] <= pivot <= a[i..hi], and everything strictly between j and i equals the pivot.
  const left: number[] = [];
  const right: number[] = [];
  for (const r of ranks) {
    if (r <= j) left.push(r);
    else if (r >= i) right.push(r);
    else out.set(r, pivot);
  }
  selectInto(a, lo, j, left, out);
  selectInto(a, i, hi, right, out);
}

/** From this size on, order statistics come from a radix histogram instead of quickselect. */
const RADIX_SELECT_MIN_LENGTH = 1 << 16;
/** Buckets of the radix histogram: the top 20 bits of a double's ordered key (sign, exponent, 8 mantissa bits). */
const BUCKET_SHIFT = 12;
const BUCKET_COUNT = 1 << (32 - BUCKET_SHIFT);
const SIGN = 0x80000000;
const HIGH_WORD = endianness() === 'LE' ? 1 : 0;

/** The order-preserving key of a double's high word (see sort.ts), as an unsigned 32-bit integer. */
function bucketOf(high: number): number {
  return ((high & SIGN ? ~high : high | SIGN) >>> 0) >>> BUCKET_SHIFT;
}

/**
 * Order statistics in three linear passes: count values per bucket of their top 20 key bits, find
 * the buckets holding the wanted ranks, copy just those buckets out and sort them. Each bucket is
 * 1/256 of an octave, so the sorted remainder is a tiny fraction of the data.
 */
function radixSelect(values: Float64Array, ranks: readonly number[], out: Map<number, number>): void {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const counts = new Uint32Array(BUCKET_COUNT);
  for (let i = 0; i < values.length; i++) {
    const b = bucketOf(words[2 * i + HIGH_WORD] as number);
    counts[b] = (counts[b] as number) + 1;
  }
  // slot[b] = 1 + index of bucket b among the wanted buckets; start[k] = rank of its first value.
  const slot = new Uint16Array(BUCKET_COUNT);
  const starts: number[] = [];
  const buckets: number[] = [];
  let below = 0;
  let next = 0;
  for (let b = 0; b < BUCKET_COUNT && next < ranks.length; b++) {
    const c = counts[b] as number;
    let wanted = false;
    while (next < ranks.length && (ranks[next] as number) < below + c) {
      wanted = true;
      next++;
    }
    if (wanted) {
      buckets.push(b);
      starts.push(below);
      slot[b] = buckets.length;
    }
    below += c;
  }
  const parts = buckets.map((b) => new Float64Array(counts[b] as number));
  const filled = new Uint32Array(parts.length);
  for (let i = 0; i < values.length; i++) {
    const k = slot[bucketOf(words[2 * i + HIGH_WORD] as number)] as number;
    if (k === 0) continue;
    const part = parts[k - 1] as Float64Array;
    part[filled[k - 1] as number] = values[i] as number;
    filled[k - 1] = (filled[k - 1] as number) + 1;
  }
  const sorted = new Set<Float64Array>();
  let k = 0;
  for (const r of ranks) {
    while (r >= (starts[k] as number) + (parts[k] as Float64Array).length) k++;
    const part = parts[k] as Float64Array;
    if (!sorted.has(part)) {
      part.sort();
      sorted.add(part);
    }
    out.set(r, part[r - (starts[k] as number)] as number);
  }
}

/** The values at `ranks` (0-based order statistics) of `values` (no NaN), which is left untouched. */
export function orderStatistics(values: Float64Array, ranks: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  const wanted = [...new Set(ranks)].filter((r) => r >= 0 && r < values.length).sort((p, q) => p - q);
  if (values.length >= RADIX_SELECT_MIN_LENGTH) radixSelect(values, wanted, out);
  else selectInto(Float64Array.from(values), 0, values.length - 1, wanted, out);
  return out;
}

/** Up to this many edges a value's bin is a branch-free count of edges <= x, cheaper than a search. */
const LINEAR_BIN_SEARCH_MAX = 16;

export interface SampleBins {
  edges: number[];
  /** Reference counts per bin, read off the order statistics when no value sits on an edge. */
  counts: number[];
}

/**
 * Reference-quantile bins of a raw sample: inner edges at the k/bins quantiles (numpy's linear
 * interpolation, same arithmetic as quantile(), repeats dropped) and the sample's own bin counts.
 * An edge strictly above order statistic lo has exactly lo + 1 values below it, so the counts come
 * free with the selection; only when an edge equals a sample value is the sample scanned again.
 */
export function sampleQuantileBins(values: Float64Array, bins: number): SampleBins {
  const n = values.length;
  const positions = Array.from({ length: bins - 1 }, (_, k) => (n - 1) * ((k + 1) / bins));
  const stats = orderStatistics(
    values,
    positions.flatMap((h) => [Math.floor(h), Math.min(Math.floor(h) + 1, n - 1)]),
  );
  const edges: number[] = [];
  const below: number[] = [];
  let onAValue = false;
  for (const h of positions) {
    const lo = Math.floor(h);
    const a = stats.get(lo) as number;
    const b = stats.get(Math.min(lo + 1, n - 1)) as number;
    const edge = a + (h - lo) * (b - a);
    if (edges.length > 0 && edge <= (edges[edges.length - 1] as number)) continue;
    edges.push(edge);
    below.push(lo + 1);
    if (!(edge > a)) onAValue = true;
  }
  if (onAValue) return { edges, counts: sampleBinCounts(values, edges) };
  const counts = below.map((b, k) => b - (k === 0 ? 0 : (below[k - 1] as number)));
  counts.push(n - (below[below.length - 1] ?? 0));
  return { edges, counts };
}

/** Inner quantile-bin edges of a raw sample (see sampleQuantileBins). */
export function sampleQuantileEdges(values: Float64Array, bins: number): number[] {
  return sampleQuantileBins(values, bins).edges;
}

/** Counts per bin of an unsorted sample; bin k holds edges[k-1] <= x < edges[k]. */
export function sampleBinCounts(values: Float64Array, edges: readonly number[]): number[] {
  const e = Float64Array.from(edges);
  const m = e.length;
  const counts = new Float64Array(m + 1);
  if (m <= LINEAR_BIN_SEARCH_MAX) {
    for (let i = 0; i < values.length; i++) {
      const x = values[i] as number;
      let k = 0;
      for (let j = 0; j < m; j++) k += (e[j] as number) <= x ? 1 : 0;
      counts[k] = (counts[k] as number) + 1;
    }
    return Array.from(counts);
  }
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((e[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return Array.from(counts);
}
