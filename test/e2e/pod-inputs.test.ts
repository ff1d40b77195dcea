import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { useTestNamespace } from '../harness/index.ts';
import { EXAMPLE_PREFIX, type ObjectStore, startObjectStore } from '../harness/object-store.ts';
import { clients, nodeScript, podLog, podReaches, restrictedPodSpec, stewardContainer } from './support.ts';

let server: Server | undefined;
let store: ObjectStore | undefined;
afterAll(async () => {
  server?.close();
  await store?.stop();
});

/** A TCP server on every address of the test host; resolves with its port and the first message it gets. */
async function listenOnce(): Promise<{ port: number; message: Promise<string> }> {
  let deliver: (text: string) => void = () => {};
  const message = new Promise<string>((resolve) => {
    deliver = resolve;
  });
  server = createServer((socket) => {
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
    });
    socket.on('end', () => {
      deliver(text);
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '0.0.0.0', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no port');
  return { port: address.port, message };
}

describe('what a Pod on the node can use', () => {
  const ns = useTestNamespace();

  it('reads a ConfigMap volume and a Secret environment variable, and reaches a TCP server on the host', async () => {
    const { core } = clients();
    const { port, message } = await listenOnce();
    await core.createNamespacedConfigMap({
      namespace: ns.name,
      body: { metadata: { name: 'settings' }, data: { 'threshold.txt': '0.25' } },
    });
    await core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: 'credentials' }, stringData: { token: 's3cr3t-value' } },
    });
    const hostIp = inject('stewardNode').hostIp;
    const script = `
      const threshold = require('node:fs').readFileSync('/etc/steward/threshold.txt', 'utf8');
      const socket = require('node:net').connect(${port}, ${JSON.stringify(hostIp)}, () => {
        socket.end(JSON.stringify({ threshold, token: process.env.TOKEN }));
      });
      socket.on('error', (err) => { console.error(err.message); process.exit(1); });`;
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: 'inputs' },
        spec: restrictedPodSpec(
          [
            nodeScript('client', script, {
              env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'credentials', key: 'token' } } }],
              volumeMounts: [{ name: 'settings', mountPath: '/etc/steward', readOnly: true }],
            }),
          ],
          { volumes: [{ name: 'settings', configMap: { name: 'settings' } }] },
        ),
      },
    });
    const pod = await podReaches(ns.name, 'inputs', ['Succeeded', 'Failed']);
    expect(pod.status?.phase, JSON.stringify(pod.status)).toBe('Succeeded');
    expect(JSON.parse(await message)).toEqual({ threshold: '0.25', token: 's3cr3t-value' });
  });

  it('reads the example data from the object store over s3:// with credentials from a Secret', async () => {
    const { core } = clients();
    store = await startObjectStore({ host: inject('stewardNode').hostIp });
    const secret = await store.createCredentialsSecret(core, ns.name);
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: 's3-reader' },
        spec: restrictedPodSpec([
          stewardContainer('reader', ['drift', 'profile', store.uri(`${EXAMPLE_PREFIX}reference.csv`)], {
            envFrom: [{ secretRef: { name: secret } }],
          }),
        ]),
      },
    });
    const pod = await podReaches(ns.name, 's3-reader', ['Succeeded', 'Failed']);
    const log = await podLog(ns.name, 's3-reader', 'reader');
    expect(pod.status?.phase, log).toBe('Succeeded');
    expect(log).toContain('profiled 400 rows, 7 features');
  });
});
