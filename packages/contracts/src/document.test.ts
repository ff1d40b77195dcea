import { describe, expect, it } from 'vitest';
import { ContractInputError, parseContractDocument } from './document.ts';

const manifest = `
apiVersion: mlops.steward.dev/v1alpha1
kind: OutputContract
metadata:
  name: fraud-scores
spec:
  version: 1.2.0
  compatibility: full
  consumers:
    - { name: payments, contact: pay@example.com, accepts: ^1.0.0 }
  schema:
    fields:
      - { path: label, type: string, enum: [fraud, legit] }
`;

function errorOf(text: string): string {
  try {
    parseContractDocument(text, 'contract.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ContractInputError);
    return (error as Error).message;
  }
  throw new Error('expected a ContractInputError');
}

describe('parseContractDocument', () => {
  it('reads an OutputContract manifest', () => {
    const document = parseContractDocument(manifest, 'contract.yaml');
    expect(document).toMatchObject({
      form: 'manifest',
      name: 'fraud-scores',
      version: '1.2.0',
      compatibility: 'full',
    });
    expect(document.schema.fields[0]).toMatchObject({ path: 'label', required: true });
  });

  it('picks the OutputContract out of a multi-document bundle', () => {
    const bundle = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n${manifest}`;
    expect(parseContractDocument(bundle, 'bundle.yaml').name).toBe('fraud-scores');
  });

  it('reads a bare schema in JSON', () => {
    const document = parseContractDocument('{"fields": [{"path": "score", "type": "number"}]}', 's.json');
    expect(document).toMatchObject({ form: 'schema', consumers: [] });
    expect(document.version).toBeUndefined();
  });

  it('reads a bare spec and applies its defaults', () => {
    const document = parseContractDocument('version: 0.1.0\nschema: {fields: []}\n', 'spec.yaml');
    expect(document).toMatchObject({ form: 'spec', version: '0.1.0', compatibility: 'backward' });
  });

  it.each([
    ['malformed YAML', 'fields: [a, b\nc: d', 'contract.yaml: malformed YAML/JSON'],
    ['an empty file', '\n# nothing\n', 'contract.yaml: the file is empty'],
    ['a list at the top level', '- 1\n- 2\n', 'expected a YAML/JSON object at the top level'],
    ['another kind', 'apiVersion: v1\nkind: ConfigMap\n', 'kind "ConfigMap" is not OutputContract'],
    [
      'another API version',
      manifest.replace('v1alpha1', 'v9'),
      'apiVersion "mlops.steward.dev/v9" is not supported',
    ],
    ['an unrecognisable document', 'hello: world\n', 'not a contract'],
    [
      'an unknown field type, with the path of the field',
      'fields:\n  - {path: score, type: float}\n',
      'fields[0].type: unknown field type "float"; expected one of number, integer, string, boolean, array, object',
    ],
    [
      'an unquoted version that YAML reads as a number',
      manifest.replace('1.2.0', '1.2'),
      'spec.version: must be a semantic version string',
    ],
    [
      'a misspelt key',
      'fields:\n  - {path: score, type: number, requried: false}\n',
      'unknown keys (typo?): fields[0].requried',
    ],
    [
      'two OutputContracts in one bundle',
      `${manifest}\n---\n${manifest}`,
      'expected one OutputContract among 2 documents, found 2',
    ],
  ])('rejects %s with a message naming the file', (_name, text, message) => {
    const error = errorOf(text);
    expect(error).toContain(message);
    expect(error.startsWith('contract.yaml: ')).toBe(true);
  });
});
