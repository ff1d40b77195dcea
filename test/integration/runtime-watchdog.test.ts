import { connect, createServer, type Server, type Socket } from 'node:net';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { ConfigMapType, createLogger, Informer, KubeClient } from '@steward/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, testKubeConfig, useTestNamespace } from '../harness/index.ts';

const namespace = useTestNamespace();
// Far below client-node's own 30 s inactivity timeout, so the watchdog acts first.
const WATCHDOG_MS = 3_000;
// What the informer logs when its watchdog replaces a silent list/watch.
const WATCHDOG_MESSAGE = 'list/watch silent for too long; starting over';

/**
 * A TCP proxy in front of the API server that can go silent: while frozen it forwards nothing in
 * either direction and holds new connections open without answering — a half-dead network path,
 * which no error ever reports.
 */
class FreezingProxy {
  readonly #server: Server;
  readonly #pairs = new Set<[Socket, Socket]>();
  #frozen = false;
  #held: Socket[] = [];

  constructor(upstreamHost: string, upstreamPort: number) {
    this.#server = createServer((client) => {
      if (this.#frozen) {
        this.#held.push(client);
        client.on('error', () => {});
        return;
      }
      this.#forward(client, upstreamHost, upstreamPort);
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => {
      this.#server.listen(0, '127.0.0.1', () => {
        const address = this.#server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  }

  freeze(): void {
    this.#frozen = true;
    for (const [client, upstream] of this.#pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  thaw(): void {
    this.#frozen = false;
    // Connections accepted while frozen never reached the server; their clients have given up.
    for (const socket of this.#held) socket.destroy();
    this.#held = [];
  }

  close(): Promise<void> {
    for (const [client, upstream] of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
    for (const socket of this.#held) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #forward(client: Socket, host: string, port: number): void {
    const upstream = connect(port, host);
    const pair: [Socket, Socket] = [client, upstream];
    this.#pairs.add(pair);
    const drop = () => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

function kubeConfigVia(proxyPort: number): KubeConfig {
  const admin = testKubeConfig();
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the test kubeconfig has no cluster');
  const proxied = new KubeConfig();
  proxied.loadFromOptions({
    clusters: [{ ...cluster, server: `https://127.0.0.1:${proxyPort}` }],
    users: admin.users,
    contexts: admin.contexts,
    currentContext: admin.getCurrentContext(),
  });
  return proxied;
}

describe('the informer watchdog', () => {
  let proxy: FreezingProxy;
  let informer: Informer;
  let direct: KubeClient;
  const logged: string[] = [];

  beforeAll(async () => {
    const server = new URL(testKubeConfig().getCurrentCluster()?.server ?? '');
    proxy = new FreezingProxy(server.hostname, Number(server.port));
    const proxied = new KubeClient(kubeConfigVia(await proxy.listen()));
    direct = new KubeClient(testKubeConfig());
    informer = new Informer({
      client: proxied,
      type: ConfigMapType,
      namespace: namespace.name,
      watchdogMs: WATCHDOG_MS,
      logger: createLogger({
        level: 'warn',
        destination: { write: (line) => logged.push((JSON.parse(line) as { msg: string }).msg) },
      }),
    });
    informer.start();
    await informer.waitForSync();
  });

  afterAll(async () => {
    await informer?.stop();
    await proxy?.close();
  });

  it('starts over when the watch goes silent, and then sees what changed meanwhile', async () => {
    await direct.create(ConfigMapType, { metadata: { namespace: namespace.name, name: 'before' } });
    await eventually('the informer to see "before"', async () => informer.get(namespace.name, 'before'));

    proxy.freeze();
    await direct.create<KubernetesObject>(ConfigMapType, {
      metadata: { namespace: namespace.name, name: 'during' },
    });
    await direct.delete(ConfigMapType, namespace.name, 'before');
    // The watchdog notices the silence (after WATCHDOG_MS with nothing at all) and starts over.
    await eventually('the watchdog to start over', async () =>
      logged.includes(WATCHDOG_MESSAGE) ? true : undefined,
    );
    expect(informer.get(namespace.name, 'during')).toBeUndefined();

    const thawedAt = Date.now();
    proxy.thaw();
    await eventually('the informer to catch up after the network came back', async () =>
      informer.get(namespace.name, 'during') !== undefined &&
      informer.get(namespace.name, 'before') === undefined
        ? true
        : undefined,
    );
    console.log(
      `caught up ${((Date.now() - thawedAt) / 1000).toFixed(1)} s after the thaw; watchdog restarts: ${logged.filter((m) => m === WATCHDOG_MESSAGE).length}`,
    );
  });
});
