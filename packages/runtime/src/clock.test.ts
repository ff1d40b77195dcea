import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.ts';

describe('systemClock', () => {
  it('waits the longest Node allows for a delay beyond 24.8 days instead of firing at once', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    let fired = false;
    const ninetyDaysMs = 90 * 86_400_000;
    const cancel = systemClock.schedule(() => {
      fired = true;
    }, ninetyDaysMs);
    // An overflowing delay fires after 1 ms (with a TimeoutOverflowWarning); wait well past that.
    await new Promise((resolve) => setTimeout(resolve, 50));
    cancel();
    process.off('warning', onWarning);
    expect(fired).toBe(false);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});
