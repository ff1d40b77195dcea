import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from './diff/findings.ts';
import { checkVersionBump } from './version-bump.ts';

function findings(...severities: Severity[]): Finding[] {
  return severities.map((severity) => ({
    path: 'score',
    change: 'field-removed',
    severity,
    reason: 'r',
    breaks: [],
  }));
}

describe('checkVersionBump', () => {
  it.each([
    ['a breaking change with a major bump', '1.4.2', '2.0.0', ['breaking'], true, 'major'],
    ['a breaking change with a minor bump', '1.4.2', '1.5.0', ['breaking'], false, 'major'],
    ['a breaking change with a patch bump', '1.4.2', '1.4.3', ['breaking'], false, 'major'],
    ['an additive change with a minor bump', '1.4.2', '1.5.0', ['additive'], true, 'minor'],
    ['an additive change with a patch bump', '1.4.2', '1.4.3', ['additive'], false, 'minor'],
    ['a cosmetic change with a patch bump', '1.4.2', '1.4.3', ['cosmetic'], true, 'patch'],
    ['a cosmetic change without a bump', '1.4.2', '1.4.2', ['cosmetic'], false, 'patch'],
    ['no change without a bump', '1.4.2', '1.4.2', [], true, 'none'],
    ['a downgrade without changes', '1.4.2', '1.4.1', [], false, 'none'],
    ['a breaking change on 0.y with a minor bump', '0.3.1', '0.4.0', ['breaking'], true, 'minor'],
    ['a breaking change on 0.y with a patch bump', '0.3.1', '0.3.2', ['breaking'], false, 'minor'],
    ['an additive change on 0.y with a patch bump', '0.3.1', '0.3.2', ['additive'], true, 'patch'],
    ['a breaking change on 0.0.z with a patch bump', '0.0.3', '0.0.4', ['breaking'], true, 'patch'],
    [
      'a breaking change into a prerelease of the next major',
      '1.4.2',
      '2.0.0-rc.1',
      ['breaking'],
      true,
      'major',
    ],
    ['a breaking change between prereleases', '2.0.0-rc.1', '2.0.0-rc.2', ['breaking'], true, 'major'],
  ] as const)('judges %s', (_name, previous, next, severities, sufficient, required) => {
    const verdict = checkVersionBump(previous, next, findings(...severities));
    expect([verdict.sufficient, verdict.required]).toEqual([sufficient, required]);
  });

  it('flags a malformed version instead of throwing', () => {
    expect(checkVersionBump('1.2', '1.3.0', findings('cosmetic'))).toMatchObject({
      sufficient: false,
      reason: "'1.2' is not a semantic version",
    });
  });

  it('explains an insufficient bump with both versions', () => {
    expect(checkVersionBump('1.4.2', '1.5.0', findings('breaking', 'additive')).reason).toBe(
      'breaking changes need a major version bump, but 1.4.2 -> 1.5.0 is a minor bump',
    );
  });
});
