/** The API group and version every Steward kind is served under. */
export const GROUP = 'mlops.steward.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** `kubectl get steward` and `kubectl get mlops` list every Steward resource. */
export const CATEGORIES = ['steward', 'mlops'] as const;

export interface KindNames {
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
}

function kindNames(kind: string, plural: string, shortNames: readonly string[]): KindNames {
  return { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames };
}

export const ModelDeploymentNames = kindNames('ModelDeployment', 'modeldeployments', ['md', 'mdep']);
export const OutputContractNames = kindNames('OutputContract', 'outputcontracts', ['oc', 'ocontract']);
export const DriftMonitorNames = kindNames('DriftMonitor', 'driftmonitors', ['dm', 'dmon']);
export const RetrainPipelineNames = kindNames('RetrainPipeline', 'retrainpipelines', ['rp', 'rtp']);
