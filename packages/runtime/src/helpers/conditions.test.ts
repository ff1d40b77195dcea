import { describe, expect, it } from 'vitest';
import { type Condition, isConditionTrue, setCondition } from './conditions.ts';

const nine = new Date('2026-01-01T09:00:00.123Z');
const ten = new Date('2026-01-01T10:00:00Z');
const ready = (status: Condition['status'], reason: string) => ({
  type: 'Ready',
  status,
  reason,
  message: reason,
});

describe('setCondition', () => {
  it('stamps a new condition with the current time at second precision', () => {
    expect(setCondition([], ready('False', 'Waiting'), nine)).toEqual([
      { ...ready('False', 'Waiting'), lastTransitionTime: '2026-01-01T09:00:00Z' },
    ]);
  });

  it('keeps lastTransitionTime when only the reason or message changes', () => {
    const before = setCondition([], ready('False', 'Waiting'), nine);
    const after = setCondition(before, ready('False', 'StillWaiting'), ten);
    expect(after[0]?.lastTransitionTime).toBe('2026-01-01T09:00:00Z');
    expect(after[0]?.reason).toBe('StillWaiting');
  });

  it('moves lastTransitionTime when the status flips', () => {
    const before = setCondition([], ready('False', 'Waiting'), nine);
    const after = setCondition(before, ready('True', 'Available'), ten);
    expect(after[0]?.lastTransitionTime).toBe('2026-01-01T10:00:00Z');
    expect(isConditionTrue(after, 'Ready')).toBe(true);
  });

  it('leaves other conditions and the input list untouched', () => {
    const other: Condition = {
      type: 'Stalled',
      status: 'False',
      reason: 'No',
      message: '',
      lastTransitionTime: 'x',
    };
    const before = [other];
    const after = setCondition(before, ready('True', 'Available'), ten);
    expect(after).toHaveLength(2);
    expect(after[0]).toBe(other);
    expect(before).toHaveLength(1);
  });
});
