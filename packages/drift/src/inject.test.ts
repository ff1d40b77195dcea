import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDrift } from './check/check.ts';
import { Verdict } from './check/reasons.ts';
import { baselineWithInjectedCopy, InjectionError } from './inject.ts';

const REFERENCE = fileURLToPath(
  new URL('../../../examples/fraud-scoring/data/reference.csv', import.meta.url),
);
const features = [
  { name: 'amount', type: 'numeric' as const },
  { name: 'account_age_days', type: 'numeric' as const },
  { name: 'merchant_category', type: 'categorical' as const },
  { name: 'channel', type: 'categorical' as const },
];

describe('synthetic drift for fire drills', () => {
  it('the baseline against itself is no drift: the copy differs only where drift was injected', async () => {
    const { baseline, injected } = await baselineWithInjectedCopy(REFERENCE, {
      features: ['amount'],
      kind: 'shift',
      magnitude: 0,
    });
    expect(checkDrift(baseline, injected, { features }).verdict).toBe(Verdict.NoDrift);
  });

  it.each([
    ['a shift of 2 sd in amount', { features: ['amount'], kind: 'shift' as const, magnitude: 2 }, 'amount'],
    ['amount scaled by 3', { features: ['amount'], kind: 'scale' as const, magnitude: 3 }, 'amount'],
    [
      'half of the merchant categories flipped',
      { features: ['merchant_category'], kind: 'categoryFlip' as const, magnitude: 0.5 },
      'merchant_category',
    ],
  ])('%s is detected by the check on exactly that feature', async (_name, injection, feature) => {
    const { baseline, injected } = await baselineWithInjectedCopy(REFERENCE, injection);
    const report = checkDrift(baseline, injected, { features, driftShare: 0.25 });
    expect(report.verdict).toBe(Verdict.Drift);
    expect(report.features.filter((f) => f.verdict === Verdict.Drift).map((f) => f.name)).toEqual([feature]);
  });

  it('a drift too small to see is not detected: that is what a failing drill finds out', async () => {
    const { baseline, injected } = await baselineWithInjectedCopy(REFERENCE, {
      features: ['amount'],
      kind: 'shift',
      magnitude: 0.01,
    });
    expect(checkDrift(baseline, injected, { features }).verdict).toBe(Verdict.NoDrift);
  });

  it('a feature the baseline does not have is a clear error, not a silent pass', async () => {
    await expect(
      baselineWithInjectedCopy(REFERENCE, { features: ['amout'], kind: 'shift', magnitude: 2 }),
    ).rejects.toThrow(new InjectionError('the baseline has no column amout to inject drift into'));
  });
});
