#!/usr/bin/python3
"""scipy/numpy side of the drift bench, driven line by line so both sides share one time window.

Usage: baseline.py REF.f64 CUR.f64. Reads commands from stdin, one per line:
  ks   -> times scipy.stats.ks_2samp(ref, cur)
  psi  -> times a numpy quantile-bin PSI (np.quantile edges, np.histogram counts)
  rss  -> reports this process's peak RSS
and answers each with one JSON line.
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


def ks(ref, cur):
    res = stats.ks_2samp(ref, cur)
    return {'statistic': float(res.statistic), 'pValue': float(res.pvalue)}


def main():
    ref = np.fromfile(sys.argv[1], dtype='<f8')
    cur = np.fromfile(sys.argv[2], dtype='<f8')
    commands = {'ks': lambda: ks(ref, cur), 'psi': lambda: {'statistic': psi_numpy(ref, cur)}}
    for line in sys.stdin:
        command = line.strip()
        if command == 'rss':
            answer = {'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        else:
            start = time.perf_counter()
            result = commands[command]()
            answer = {'seconds': time.perf_counter() - start, **result}
        print(json.dumps(answer), flush=True)


if __name__ == '__main__':
    main()
