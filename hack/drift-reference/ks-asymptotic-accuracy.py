#!/usr/bin/python3
"""How close two asymptotic KS p-values come to scipy's exact two-sample one, just above the 10 000 bound.

Compares scipy's ks_2samp(method='asymp') (kstwo at round(mn/(m+n)), what Steward computes) and the
Kolmogorov limit Q_KS(sqrt(mn/(m+n)) * D) on 30 random pairs of normal samples; docs/drift.md quotes the
output. Run: /usr/bin/python3 hack/drift-reference/ks-asymptotic-accuracy.py (a few seconds).
"""
import numpy as np, math
from scipy import stats
from scipy.special import kolmogorov
rng=np.random.default_rng(11)
rows=[]
for i in range(30):
    m=int(rng.integers(10001,16000)); n=int(rng.integers(10001,16000)); shift=float(rng.uniform(0.0,0.07))
    a=rng.normal(0,1,m); b=rng.normal(shift,1,n)
    ex=stats.ks_2samp(a,b,method='exact')
    if ex.pvalue<=0 or ex.pvalue>0.999: continue
    asy=stats.ks_2samp(a,b,method='asymp'); en=m*n/(m+n); lim=kolmogorov(math.sqrt(en)*ex.statistic)
    rows.append((ex.pvalue, abs(asy.pvalue-ex.pvalue)/ex.pvalue, abs(lim-ex.pvalue)/ex.pvalue))
for lo,hi in [(0,0.05),(0.05,1)]:
    sel=[r for r in rows if lo<=r[0]<hi]
    if sel: print(f"p in [{lo},{hi}): {len(sel)} cases; kstwo median rel err {np.median([r[1] for r in sel]):.2%} max {max(r[1] for r in sel):.2%}; limit median {np.median([r[2] for r in sel]):.2%} max {max(r[2] for r in sel):.2%}; kstwo closer in {sum(r[1]<r[2] for r in sel)}")
