import { describe, expect, it } from 'vitest';
import { ConfigError, parseDriftMonitorConfig } from './manifest.ts';

const monitor = (dataDrift: string) => `
apiVersion: mlops.steward.dev/v1alpha1
kind: DriftMonitor
metadata: {name: churn}
spec:
  schedule: "0 * * * *"
  somethingElse: ignored
  dataDrift:
${dataDrift}
`;

describe('reading a DriftMonitor manifest', () => {
  it('takes features, methods and thresholds from spec.dataDrift and fills the defaults', () => {
    const config = parseDriftMonitorConfig(
      monitor(
        '    features:\n      - {name: age, type: numeric, method: psi, threshold: 0.2}\n      - {name: plan}',
      ),
    );
    expect(config).toEqual({
      features: [{ name: 'age', type: 'numeric', method: 'psi', threshold: 0.2 }, { name: 'plan' }],
      driftShare: 0.5,
      minSampleSize: 30,
    });
  });

  it('finds the DriftMonitor among other documents', () => {
    const text = `kind: ConfigMap\n---\n${monitor('    driftShare: 0.25')}`;
    expect(parseDriftMonitorConfig(text).driftShare).toBe(0.25);
  });

  it('names the offending field of an invalid spec.dataDrift', () => {
    expect(() =>
      parseDriftMonitorConfig(monitor('    features: [{name: age, method: magic}]'), 'm.yaml'),
    ).toThrow(/^m\.yaml: spec\.dataDrift\.features\.0\.method: /);
  });

  it('rejects invalid YAML and a file without a DriftMonitor', () => {
    expect(() => parseDriftMonitorConfig('a: [')).toThrow(ConfigError);
    expect(() => parseDriftMonitorConfig('kind: Deployment')).toThrow(
      /expected one DriftMonitor document, found 0/,
    );
  });
});
