/**
 * The operator side of the controller benchmark, in its own process so its RSS and CPU are its own.
 * Usage: node runtime-operator.ts <kubeconfig> <namespace> <objects> <workers>
 * Prints {"ready":true} once its caches synced, {"converged":N,...} when every object has been fully
 * reconciled once, and {"maxRssBytes":...} when stopped (SIGTERM).
 */
import { Manager } from '@steward/runtime';
import { loadKubeConfig } from '../harness/kubeconfig.ts';
import { addWidgetController } from '../integration/fixtures/runtime-widget.ts';

const [kubeconfigPath, namespace, objectsArg, workersArg] = process.argv.slice(2);
const objects = Number(objectsArg);
const workers = Number(workersArg);
if (!kubeconfigPath || !namespace || !(objects > 0) || !(workers > 0)) {
  console.error('usage: runtime-operator.ts <kubeconfig> <namespace> <objects> <workers>');
  process.exit(2);
}

const manager = new Manager({
  kubeConfig: loadKubeConfig(kubeconfigPath),
  httpPort: false,
  handleSignals: true,
});
// Counts the operator's API writes, reported as writes per object next to the throughput.
let writes = 0;
const request = manager.client.request.bind(manager.client);
manager.client.request = ((method, path, options) => {
  if (method !== 'GET') writes++;
  return request(method, path, options);
}) as typeof manager.client.request;

const reconciled = new Set<string>();
addWidgetController(manager, {
  namespace,
  concurrency: workers,
  onReconciled: (key) => {
    if (reconciled.has(key)) return;
    reconciled.add(key);
    if (reconciled.size === objects) {
      const { user, system } = process.cpuUsage();
      console.log(JSON.stringify({ converged: objects, writes, cpuMs: (user + system) / 1000 }));
    }
  },
});
await manager.start();
await Promise.all([...manager.informers()].map((informer) => informer.waitForSync()));
const { user, system } = process.cpuUsage();
console.log(JSON.stringify({ ready: true, startupCpuMs: (user + system) / 1000 }));
await manager.stopped;
// resourceUsage().maxRSS is the kernel's high-water mark for this process, in KiB.
console.log(JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
process.exit(0);
