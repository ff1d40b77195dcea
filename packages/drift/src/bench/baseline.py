#!/usr/bin/python3
"""Times scipy's ks_2samp and a numpy quantile-bin PSI on the samples the drift bench wrote.

Usage: baseline.py REF.f64 CUR.f64 REPEATS  -> one JSON line on stdout.
"""
import json
import resource
import sys
import time

import numpy as np
from scipy import stats

PSI_BINS = 10
PSI_EPSILON = 1e-4


def psi_numpy(ref, cur, bins=PSI_BINS, eps=PSI_EPSILON):
    edges = np.quantile(ref, np.linspace(0, 1, bins + 1))
    edges[0], edges[-1] = -np.inf, np.inf
    r = np.clip(np.histogram(ref, edges)[0] / len(ref), eps, None)
    c = np.clip(np.histogram(cur, edges)[0] / len(cur), eps, None)
    return float(np.sum((c - r) * np.log(c / r)))


def median_time(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def main():
    ref = np.fromfile(sys.argv[1], dtype='<f8')
    cur = np.fromfile(sys.argv[2], dtype='<f8')
    repeats = int(sys.argv[3])
    ks_seconds, ks = median_time(lambda: stats.ks_2samp(ref, cur), repeats)
    psi_seconds, psi = median_time(lambda: psi_numpy(ref, cur), repeats)
    print(json.dumps({
        'ksSeconds': ks_seconds, 'ksStatistic': float(ks.statistic), 'ksPValue': float(ks.pvalue),
        'psiSeconds': psi_seconds, 'psi': psi,
        'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == '__main__':
    main()
