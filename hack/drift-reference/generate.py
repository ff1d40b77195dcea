#!/usr/bin/python3
"""Regenerates packages/drift/testdata/reference.json: input samples and the values scipy/numpy compute.

The TypeScript tests only read the committed file; run this (Debian: apt-get install python3-scipy)
after changing a case, then format the output as the repository does:
  /usr/bin/python3 hack/drift-reference/generate.py
  pnpm exec biome format --write packages/drift/testdata/reference.json
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'drift', 'testdata', 'reference.json')
SEED = 20260601
PSI_EPSILON = 1e-4
KS_EXACT_MAX_N = 10_000
MIN_EXPECTED = 5


def quantile_edges(ref, bins):
    return np.unique(np.quantile(ref, np.arange(1, bins) / bins)).tolist()


def bin_counts(values, edges):
    # Bin k holds edges[k-1] <= x < edges[k]: the number of edges <= x.
    return np.bincount(np.searchsorted(edges, values, side='right'), minlength=len(edges) + 1).tolist()


def psi(ref_counts, cur_counts):
    r = np.maximum(np.asarray(ref_counts, float) / sum(ref_counts), PSI_EPSILON)
    c = np.maximum(np.asarray(cur_counts, float) / sum(cur_counts), PSI_EPSILON)
    return float(np.sum((c - r) * np.log(c / r)))


def ks(ref, cur):
    n1, n2 = len(ref), len(cur)
    method = 'exact' if max(n1, n2) <= KS_EXACT_MAX_N else 'asymp'
    res = stats.ks_2samp(ref, cur, method=method)
    return {'statistic': float(res.statistic), 'pValue': float(res.pvalue),
            'pValueMethod': 'exact' if method == 'exact' else 'asymptotic'}


def grid_sample(size, shift=0.0, scale=1.0):
    # shift + scale * (i + 1/2) / size: the TypeScript test rebuilds these bit for bit from the
    # parameters, so samples of millions need not be stored.
    return shift + scale * ((np.arange(size) + 0.5) / size)


def large_ks_case(name, m, n, shift):
    res = stats.ks_2samp(grid_sample(m), grid_sample(n, shift), method='asymp')
    return {'name': name, 'reference': {'size': m, 'shift': 0.0}, 'current': {'size': n, 'shift': shift},
            'statistic': float(res.statistic), 'pValue': float(res.pvalue)}


def kstwo_cases():
    # Points (n, d) that reach every branch of scipy's kstwo.sf: Ruben-Gambino at both ends, 2 * smirnov,
    # Durbin's matrix, Pomeranz's recursion, Pelz-Good, smirnov's large-n approximation, underflow.
    cases = []
    for n in [1, 2, 3, 5, 10, 35, 100, 140, 141, 1000, 5000, 25_000, 100_000, 100_001, 1_000_000, 1_000_001,
              10_000_000]:
        ds = [z / math.sqrt(n) for z in [0.1, 0.3, 0.5, 0.7, 0.87, 1.0, 1.22, 1.36, 1.63, 2.0, 3.0, 5.0, 14.0, 20.0]]
        ds += [0.4 / n, 0.75 / n, 0.5, 0.75, 1 - 0.5 / n, 1 - 1.5 / n]
        for d in sorted({d for d in ds if 0 < d < 1}):
            cases.append({'n': n, 'd': d, 'sf': float(stats.kstwo.sf(d, n))})
    return cases


def numeric_case(name, ref, cur, bins=10, edges=None):
    ref = np.asarray(ref, float)
    cur = np.asarray(cur, float)
    e = sorted(set(edges)) if edges is not None else quantile_edges(ref, bins)
    rc, cc = bin_counts(ref, e), bin_counts(cur, e)
    return {
        'name': name,
        'kind': 'numeric',
        'reference': ref.tolist(),
        'current': cur.tolist(),
        'bins': bins,
        'edges': edges,
        'expected': {
            'ks': ks(ref, cur),
            'psi': {'statistic': psi(rc, cc), 'edges': e, 'referenceCounts': rc, 'currentCounts': cc},
            'jensenshannon': {'statistic': float(distance.jensenshannon(rc, cc))},
            'wasserstein': {
                'statistic': float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)),
                'raw': float(stats.wasserstein_distance(ref, cur)),
            },
        },
    }


def pooled_chisquare(ref_counts, cur_counts):
    ref = np.asarray(ref_counts, float)
    cur = np.asarray(cur_counts, float)
    expected = ref / ref.sum() * cur.sum()
    order = np.argsort(expected, kind='stable')
    cells = [(expected[k], cur[k]) for k in order]
    pe = po = 0.0
    pooled = 0
    while pooled < len(cells) and (cells[pooled][0] < MIN_EXPECTED or (pooled > 0 and pe < MIN_EXPECTED)):
        pe += cells[pooled][0]
        po += cells[pooled][1]
        pooled += 1
    kept = cells[pooled:] + ([(pe, po)] if pooled else [])
    res = stats.chisquare([o for _, o in kept], [e for e, _ in kept])
    return {'statistic': float(res.statistic), 'pValue': float(res.pvalue), 'degreesOfFreedom': len(kept) - 1,
            'pooledCategories': pooled}


def ztest(ref_counts, cur_counts):
    x1, n1 = ref_counts[0], sum(ref_counts)
    x2, n2 = cur_counts[0], sum(cur_counts)
    p = (x1 + x2) / (n1 + n2)
    z = (x2 / n2 - x1 / n1) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return {'statistic': z, 'pValue': float(2 * stats.norm.sf(abs(z)))}


def categorical_case(name, ref_values, cur_values):
    cats = sorted(set(ref_values) | set(cur_values))
    rc = [ref_values.count(c) for c in cats]
    cc = [cur_values.count(c) for c in cats]
    expected = {
        'chisquare': pooled_chisquare(rc, cc),
        'jensenshannon': {'statistic': float(distance.jensenshannon(rc, cc))},
        'psi': {'statistic': psi(rc, cc)},
    }
    if len(cats) == 2:
        expected['ztest'] = ztest(rc, cc)
    return {'name': name, 'kind': 'categorical', 'reference': ref_values, 'current': cur_values,
            'categories': cats, 'expected': expected}


def main():
    rng = np.random.default_rng(SEED)
    r = lambda x: [float(v) for v in np.round(x, 6)]  # noqa: E731 - six decimals keep the JSON short
    cases = [
        numeric_case('small samples, shifted mean', r(rng.normal(0, 1, 40)), r(rng.normal(0.5, 1, 35))),
        numeric_case('same distribution, unequal sizes', r(rng.normal(0, 1, 120)), r(rng.normal(0, 1, 90))),
        numeric_case('equal sizes, wider spread', r(rng.normal(0, 1, 60)), r(rng.normal(0, 1.6, 60))),
        numeric_case('integer values with ties', rng.integers(0, 10, 80).tolist(), rng.integers(1, 11, 70).tolist(),
                     bins=5),
        numeric_case('skewed, fixed edges', r(rng.exponential(1, 300)), r(rng.exponential(1.3, 250)),
                     edges=[0.25, 0.5, 1, 2, 4]),
        numeric_case('large samples use the asymptotic p-value', r(rng.normal(0, 1, 12_000)),
                     r(rng.normal(0.03, 1, 11_000)), bins=20),
        numeric_case('constant reference', [3.0] * 50, r(rng.normal(3, 0.01, 50))),
    ]
    colours = ['red', 'green', 'blue', 'amber', 'violet', 'teal']
    ref_p = [0.4, 0.3, 0.2, 0.06, 0.03, 0.01]
    cur_p = [0.3, 0.3, 0.25, 0.1, 0.04, 0.01]
    cases += [
        categorical_case('categories with rare and new values',
                         rng.choice(colours[:5], 200, p=np.array(ref_p[:5]) / sum(ref_p[:5])).tolist(),
                         rng.choice(colours, 150, p=cur_p).tolist()),
        categorical_case('many categories, same shares', rng.choice(colours, 900, p=ref_p).tolist(),
                         rng.choice(colours, 700, p=ref_p).tolist()),
        categorical_case('binary feature', rng.choice(['no', 'yes'], 500, p=[0.7, 0.3]).tolist(),
                         rng.choice(['no', 'yes'], 400, p=[0.62, 0.38]).tolist()),
    ]
    large_ks = [
        large_ks_case('60 000 vs 45 000, small p: 2 * smirnov', 60_000, 45_000, 0.01),
        large_ks_case('60 000 vs 45 000, large p: Pelz-Good', 60_000, 45_000, 0.003),
        large_ks_case('60 000 vs 45 000, moderate p: Pelz-Good', 60_000, 45_000, 0.006),
        large_ks_case('10 001 vs 10 001, effective size 5000.5 rounds to 5000: Durbin', 10_001, 10_001, 0.004),
        large_ks_case('2.2M vs 2.1M: smirnov above a million', 2_200_000, 2_100_000, 0.0015),
    ]
    doc = {'generator': 'hack/drift-reference/generate.py', 'scipy': scipy.__version__, 'numpy': np.__version__,
           'seed': SEED, 'cases': cases, 'largeKs': large_ks, 'kstwo': kstwo_cases()}
    with open(OUT, 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {os.path.normpath(OUT)} ({len(cases)} cases)')


if __name__ == '__main__':
    main()
