import { Reason } from '@steward/api';
import { describe, expect, it } from 'vitest';
import { NEEDS_A_CHANGE, setProgress, stalledWhenNotReady } from './progress.ts';

const nine = new Date('2026-01-01T09:00:00Z');
const ten = new Date('2026-01-01T10:00:00Z');
const rollingOut = { reason: 'RolloutProgressing', message: 'rolling out 2.4.0: 1/3 updated' };
const invalid = { reason: 'InvalidSpec', message: 'spec.serving.image: not a valid image reference' };
const ready = {
  type: 'Ready',
  status: 'False' as const,
  reason: 'RolloutProgressing',
  message: 'rolling out',
  lastTransitionTime: '2026-01-01T08:00:00Z',
};

describe('setProgress (kstatus Reconciling and Stalled)', () => {
  it('sets Reconciling True while the controller works toward the spec, with the generation decided on', () => {
    expect(setProgress([], { reconciling: rollingOut }, 4, nine)).toEqual([
      {
        type: 'Reconciling',
        status: 'True',
        ...rollingOut,
        observedGeneration: 4,
        lastTransitionTime: '2026-01-01T09:00:00Z',
      },
    ]);
  });

  it('removes both once the spec is reached, and leaves the other conditions alone', () => {
    const before = setProgress([ready], { reconciling: rollingOut }, 4, nine);
    expect(setProgress(before, {}, 4, ten)).toEqual([ready]);
  });

  it('reports Stalled alone when the controller cannot progress, even if it was reconciling', () => {
    const before = setProgress([], { reconciling: rollingOut }, 4, nine);
    expect(setProgress(before, { reconciling: rollingOut, stalled: invalid }, 5, ten)).toEqual([
      {
        type: 'Stalled',
        status: 'True',
        ...invalid,
        observedGeneration: 5,
        lastTransitionTime: '2026-01-01T10:00:00Z',
      },
    ]);
  });

  it('keeps lastTransitionTime while a condition stays True with a new message', () => {
    const before = setProgress([], { stalled: invalid }, 4, nine);
    const after = setProgress(
      before,
      { stalled: { ...invalid, message: 'spec.model.uri: required' } },
      5,
      ten,
    );
    expect(after[0]).toMatchObject({
      lastTransitionTime: '2026-01-01T09:00:00Z',
      message: 'spec.model.uri: required',
    });
  });
});

describe('stalledWhenNotReady', () => {
  const notReady = (reason: string) => ({
    type: 'Ready',
    status: 'False' as const,
    reason,
    message: `because ${reason}`,
  });

  it('stalls with Ready’s reason and message for a reason no reconcile gets past', () => {
    expect(stalledWhenNotReady(notReady(Reason.ReferenceNotFound), NEEDS_A_CHANGE)).toEqual({
      stalled: { reason: Reason.ReferenceNotFound, message: 'because ReferenceNotFound' },
    });
  });

  it('does not stall for a finding the resource reports while doing its job, nor when Ready', () => {
    expect(stalledWhenNotReady(notReady(Reason.DrillFailed), NEEDS_A_CHANGE)).toEqual({});
    expect(stalledWhenNotReady({ ...notReady(Reason.Reconciled), status: 'True' })).toEqual({});
  });
});
