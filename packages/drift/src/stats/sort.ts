import { endianness } from 'node:os';

// LSD radix sort on the IEEE-754 bit patterns: four passes over 16-bit digits, linear in n. For a
// million doubles it is clearly faster than the comparison sort behind Float64Array#sort, and that
// is what makes exact KS and quantile bins cheap on production-sized windows.

const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
const SIGN = 0x80000000;
/** Below this size the fixed cost of the passes (4 x 65536 counters) loses to a comparison sort. */
const RADIX_MIN_LENGTH = 4096;
// Word order of a double in memory: the low 32 bits come first on little-endian machines.
const LOW = endianness() === 'LE' ? 0 : 1;
const HIGH = 1 - LOW;

/** Maps doubles to unsigned keys with the same order: flip every bit of negatives, the sign bit of the rest. */
function toOrderedKeys(words: Uint32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    const hi = words[i + HIGH] as number;
    if (hi & SIGN) {
      words[i + HIGH] = ~hi;
      words[i + LOW] = ~(words[i + LOW] as number);
    } else {
      words[i + HIGH] = hi | SIGN;
    }
  }
}

function fromOrderedKeys(words: Uint32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    const hi = words[i + HIGH] as number;
    if (hi & SIGN) {
      words[i + HIGH] = hi & ~SIGN;
    } else {
      words[i + HIGH] = ~hi;
      words[i + LOW] = ~(words[i + LOW] as number);
    }
  }
}

/** Returns a new ascending copy of `values`, which must hold no NaN. */
export function sortedCopy(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN_LENGTH) return Float64Array.from(values).sort();
  let src = new Uint32Array(Float64Array.from(values).buffer);
  let dst = new Uint32Array(2 * n);
  toOrderedKeys(src);
  const counts = new Uint32Array(BUCKETS * 4);
  for (let i = 0; i < n; i++) {
    const lo = src[2 * i + LOW] as number;
    const hi = src[2 * i + HIGH] as number;
    counts[lo & DIGIT_MASK] = (counts[lo & DIGIT_MASK] as number) + 1;
    counts[BUCKETS + (lo >>> DIGIT_BITS)] = (counts[BUCKETS + (lo >>> DIGIT_BITS)] as number) + 1;
    counts[2 * BUCKETS + (hi & DIGIT_MASK)] = (counts[2 * BUCKETS + (hi & DIGIT_MASK)] as number) + 1;
    counts[3 * BUCKETS + (hi >>> DIGIT_BITS)] = (counts[3 * BUCKETS + (hi >>> DIGIT_BITS)] as number) + 1;
  }
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * BUCKETS;
    // A digit that every key shares leaves the order unchanged: skip the pass.
    let skip = false;
    let offset = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = counts[base + b] as number;
      if (c === n) skip = true;
      counts[base + b] = offset;
      offset += c;
    }
    if (skip) continue;
    const word = pass < 2 ? LOW : HIGH;
    const shift = pass % 2 === 0 ? 0 : DIGIT_BITS;
    // Keys move as word pairs, not doubles: some keys are NaN bit patterns an engine may canonicalise.
    for (let i = 0; i < n; i++) {
      const digit = base + (((src[2 * i + word] as number) >>> shift) & DIGIT_MASK);
      const at = counts[digit] as number;
      counts[digit] = at + 1;
      dst[2 * at] = src[2 * i] as number;
      dst[2 * at + 1] = src[2 * i + 1] as number;
    }
    [src, dst] = [dst, src];
  }
  fromOrderedKeys(src);
  return new Float64Array(src.buffer);
}
