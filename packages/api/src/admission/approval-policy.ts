/**
 * The approval policy: a ValidatingAdmissionPolicy the API server evaluates on every create and update
 * of a ModelDeployment, so an approval is attributable to a person without trusting the operator or the
 * GitOps tool. An approval may only be added by the identity it names (request.userInfo.username),
 * is never edited or removed afterwards, and never comes from the owner of a high-risk model.
 */
import { dump } from 'js-yaml';
import { CRD_HEADER } from '../crd/generate.ts';
import { GROUP, ModelDeploymentNames } from '../group.ts';
import { RiskClass } from '../kinds/model-deployment.ts';

export const APPROVAL_POLICY_NAME = `modeldeployment-approvals.${GROUP}`;

const approvalsOf = (object: string) =>
  `${object} != null && has(${object}.spec.governance) && has(${object}.spec.governance.approvals) ? ${object}.spec.governance.approvals : []`;
const ownerIdentitiesOf = (object: string) =>
  `${object} != null && has(${object}.spec.owner) ? [${object}.spec.owner.email] + (has(${object}.spec.owner.username) ? [${object}.spec.owner.username] : []) : []`;
const isHighRisk = (object: string) =>
  `${object} != null && has(${object}.spec.governance) && ${object}.spec.governance.riskClass == '${RiskClass.High}'`;

/** The policy's CEL rules; docs/modeldeployment.md quotes their messages. */
export const APPROVAL_RULES = {
  immutable: 'approvals cannot be edited or removed once made',
  ownIdentity: 'an approval can only be added by the identity it names',
  notOwner: 'the owner of a high-risk model cannot approve it',
} as const;

export function buildApprovalPolicy() {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: APPROVAL_POLICY_NAME, labels: { 'app.kubernetes.io/part-of': 'steward' } },
    spec: {
      // Without the policy an approval would prove nothing: reject rather than admit unchecked.
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [GROUP],
            apiVersions: ['*'],
            operations: ['CREATE', 'UPDATE'],
            // Not modeldeployments/status: the operator's status writes carry no approvals.
            resources: [ModelDeploymentNames.plural],
          },
        ],
      },
      variables: [
        { name: 'approvals', expression: approvalsOf('object') },
        { name: 'oldApprovals', expression: approvalsOf('oldObject') },
        {
          name: 'added',
          expression: 'variables.approvals.filter(a, !variables.oldApprovals.exists(o, o == a))',
        },
        { name: 'username', expression: 'request.userInfo.username' },
        {
          // The owner before and after this request: changing owner.username cannot open the door.
          name: 'owners',
          expression: `(${ownerIdentitiesOf('object')}) + (${ownerIdentitiesOf('oldObject')})`,
        },
        { name: 'highRisk', expression: `(${isHighRisk('object')}) || (${isHighRisk('oldObject')})` },
      ],
      validations: [
        {
          expression: 'variables.oldApprovals.all(o, variables.approvals.exists(a, a == o))',
          messageExpression: `'${APPROVAL_RULES.immutable}: ' + variables.oldApprovals.filter(o, !variables.approvals.exists(a, a == o)).map(o, o.version + ' by ' + o.approver).join(', ')`,
          reason: 'Forbidden',
        },
        {
          expression: 'variables.added.all(a, a.approver == variables.username)',
          messageExpression: `'${APPROVAL_RULES.ownIdentity}: ' + variables.username + ' added ' + variables.added.filter(a, a.approver != variables.username).map(a, 'an approval of ' + a.version + ' naming ' + a.approver).join(', ')`,
          reason: 'Forbidden',
        },
        {
          expression: '!variables.highRisk || variables.added.all(a, !(a.approver in variables.owners))',
          messageExpression: `'${APPROVAL_RULES.notOwner}: ' + variables.username + ' is its owner'`,
          reason: 'Forbidden',
        },
      ],
    },
  };
}

/** Binds the policy everywhere; Deny makes a failed rule reject the request. */
export function buildApprovalPolicyBinding() {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: APPROVAL_POLICY_NAME, labels: { 'app.kubernetes.io/part-of': 'steward' } },
    spec: { policyName: APPROVAL_POLICY_NAME, validationActions: ['Deny'] },
  };
}

export const APPROVAL_POLICY_FILE = `${GROUP}_modeldeployment-approvals.yaml`;

export function renderApprovalPolicy(): string {
  const documents = [buildApprovalPolicy(), buildApprovalPolicyBinding()].map((document) =>
    dump(document, { lineWidth: -1, noRefs: true }),
  );
  return `${CRD_HEADER}${documents.join('---\n')}`;
}
