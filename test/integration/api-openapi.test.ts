import { API_VERSION, GROUP, KIND_DEFINITIONS, VERSION } from '@steward/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { installCrds, kubeRequest, readCrds } from '../harness/crds.ts';
import { eventually } from '../harness/eventually.ts';
import { testKubeConfig } from '../harness/index.ts';

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
}
interface OpenApiDocument {
  components: { schemas: Record<string, SchemaNode> };
}

// The API server republishes OpenAPI a little after a CRD changes; on a loaded 2-core machine this can take seconds.
const PUBLISH_TIMEOUT_MS = 60_000;
/** OpenAPI names CRD schemas by reversed group, version and kind: dev.steward.mlops.v1alpha1.ModelDeployment. */
const schemaName = (kind: string) => `${GROUP.split('.').reverse().join('.')}.${VERSION}.${kind}`;

/** Every documented node of a schema, by path. */
function* documented(node: SchemaNode, path = ''): Generator<[string, string]> {
  if (node.description !== undefined && path !== '') yield [path, node.description];
  for (const [name, child] of Object.entries(node.properties ?? {}))
    yield* documented(child, `${path}.${name}`);
  if (node.items) yield* documented(node.items, `${path}[]`);
  if (typeof node.additionalProperties === 'object')
    yield* documented(node.additionalProperties, `${path}.*`);
}

function nodeAt(root: SchemaNode, path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path.split('.').slice(1)) {
    const items = segment.endsWith('[]');
    const name = items ? segment.slice(0, -2) : segment;
    node = name === '*' ? (node?.additionalProperties as SchemaNode | undefined) : node?.properties?.[name];
    if (items) node = node?.items;
  }
  return node;
}

let served: OpenApiDocument;

beforeAll(async () => {
  const kc = testKubeConfig();
  await installCrds(kc);
  await eventually(
    `OpenAPI v3 document of ${API_VERSION} with all four kinds`,
    async () => {
      const response = await kubeRequest(kc, 'GET', `/openapi/v3/apis/${API_VERSION}`);
      if (response.status !== 200) return undefined;
      served = JSON.parse(response.body) as OpenApiDocument;
      return (
        KIND_DEFINITIONS.every((d) => served.components.schemas[schemaName(d.names.kind)] !== undefined) ||
        undefined
      );
    },
    PUBLISH_TIMEOUT_MS,
  );
});

describe('the served OpenAPI v3 document (what kubectl explain prints)', () => {
  for (const crd of readCrds()) {
    const kind = crd.spec.names.kind;
    it(`documents every field of ${kind} with the description from the zod schema`, () => {
      const published = served.components.schemas[schemaName(kind)];
      expect(published, `no schema ${schemaName(kind)}`).toBeDefined();
      const source = crd.spec.versions[0]?.schema.openAPIV3Schema as SchemaNode;
      // The API server publishes its own standard text for metadata, apiVersion and kind.
      const fields = [...documented(source)].filter(
        ([path]) => !/^\.(metadata|apiVersion|kind)\b/.test(path),
      );
      expect(fields.length).toBeGreaterThan(40);
      for (const [path, description] of fields) {
        expect(nodeAt(published as SchemaNode, path)?.description, path).toBe(description);
      }
    });
  }

  it('explains a nested field in the words a cluster operator needs', () => {
    const deployment = served.components.schemas[schemaName('ModelDeployment')] as SchemaNode;
    expect(nodeAt(deployment, '.spec.governance.riskClass')?.description).toContain('EU AI Act risk class');
    const monitor = served.components.schemas[schemaName('DriftMonitor')] as SchemaNode;
    expect(nodeAt(monitor, '.spec.dataDrift.features[].threshold')?.description).toContain('p-value');
  });
});
