import { spawn } from 'node:child_process';

const demo = new URL('./demo.ts', import.meta.url).pathname;

/** Runs `make demo`'s script without a terminal (so it exits after the scenario); resolves with its exit code and output. */
export async function runDemo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', demo], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

/**
 * What the demo's output shows at each step of the scenario, in the order it plays; the demo tests
 * of both tiers check every one they can: steps that need Pods to run (`needsNode`) only the one with a node.
 */
export const demoSteps: { step: string; shows: RegExp; needsNode?: true }[] = [
  { step: 'the contract is published', shows: /OutputContract fraud-score 2\.1\.0: Ready/ },
  {
    step: 'the approval policy is in force and the risk officer approves as their own identity',
    shows:
      /approvals: +the shipped ValidatingAdmissionPolicy in force[^\n]*\n(.*\n)*.*system:serviceaccount:fraud-scoring:risk-officer \(model-risk officer\) approved 2\.3\.1, as that identity/,
  },
  {
    step: '1. no owner, no rollout',
    shows:
      /fraud-scorer 2\.3\.1: RolloutBlocked=True, admitted none\n.*blocked: OwnerMissing.*\n.*Deployment fraud-scorer: none/,
  },
  {
    step: '2. the owner is named: admitted and serving',
    shows:
      /fraud-scorer 2\.3\.1: RolloutBlocked=False, admitted 2\.3\.1\n.*Deployment fraud-scorer: serving 2\.3\.1 \(/,
  },
  {
    step: '2. with a node, 2.3.1 runs in the example model server and answers a prediction',
    shows:
      /Deployment fraud-scorer: serving 2\.3\.1 \(the example model server of the Steward image, 1\/1 Pods Ready\); POST \/predict .*"model_version":"2\.3\.1"/,
    needsNode: true,
  },
  {
    step: '3. a version breaking the contract is blocked, naming the field, while v1 keeps serving',
    shows:
      /fraud-scorer 2\.4\.0: RolloutBlocked=True, admitted 2\.3\.1\n.*blocked: ContractBreaking — .*'decision'.*\n.*Deployment fraud-scorer: still serving 2\.3\.1/,
  },
  {
    step: '4. a breaking contract change without a major bump is flagged, naming the field',
    shows: /BreakingChangeWithoutMajorBump[^\n]*\n.*breaking: model_version field-removed/,
  },
  {
    step: '5. following the pipeline, the model waits for a promotion while v1 keeps serving',
    shows: /fraud-scorer unresolved: RolloutBlocked=True, admitted 2\.3\.1\n.*blocked: VersionPending/,
    needsNode: true,
  },
  {
    step: '5. drift injected: the check Pod detects it and requests a retrain',
    shows:
      /DriftMonitor fraud-scorer-drift: DriftDetected=True \(Drift\), check Job \S+\n(.*drift: amount .*\n)(.*drift: .*\n)*(.*concept: auc .*\n)?.*retrain requested: RetrainPipeline fraud-scorer-retrain/,
    needsNode: true,
  },
  {
    step: '5. the drift run trains a candidate on the node',
    shows:
      /RetrainPipeline fraud-scorer-retrain: run (drift-\S+) \(DriftMonitor .*\); train Job reported candidate \d+\.\d+\.\d+-\1/,
    needsNode: true,
  },
  {
    step: '5. the candidate is validated and promoted',
    shows: /validate Job: auc 0\.9\d+.*\n.*Promoted: status\.promotedVersion \d+\.\d+\.\d+-drift-\S+/,
    needsNode: true,
  },
  {
    step: '5. the high-risk candidate waits for an approval; the owner cannot give it, the risk officer does',
    shows:
      /fraud-scorer (\d+\.\d+\.\d+-drift-\S+): RolloutBlocked=True, admitted 2\.3\.1\n.*blocked: ApprovalMissing.*\n.*\(the owner\) tried to approve \1: refused \(403: .*the owner of a high-risk model cannot approve it.*\n.*risk officer\) approved \1, as that identity\n.*fraud-scorer \1: RolloutBlocked=False, admitted \1/,
    needsNode: true,
  },
  {
    step: '5. the Deployment rolls the promoted version out, and it answers predictions',
    shows:
      /Deployment fraud-scorer: serving (\d+\.\d+\.\d+-drift-\S+) \(the example model server of the Steward image, 1\/1 Pods Ready\); POST \/predict .*"model_version":"\1"/,
    needsNode: true,
  },
  {
    step: '6. a fire drill passes and serving does not change',
    shows:
      /lastDrill drill-\S+ Passed at stage promote, [\d.]+s from injection to a validated candidate; DrillHealthy=True[^\n]*\n(.*\n){3}.*serving unchanged: promotedVersion (\S+), ModelDeployment fraud-scorer admitted \2, Deployment \2/,
    needsNode: true,
  },
];
