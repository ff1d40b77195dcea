/**
 * The operator side of the controller benchmark, in its own process so its RSS is its own.
 * Usage: node operator.ts <kubeconfig> <namespace> <objects> <workers>
 * Prints {"ready":true} once its caches synced, {"converged":N} when every object has been fully
 * reconciled once, and finally {"maxRssBytes":...} when told to stop (SIGTERM).
 */
import { Manager } from '@steward/runtime';
import { loadKubeConfig } from '../../../test/harness/kubeconfig.ts';
import { addWidgetController } from '../../../test/integration/fixtures/runtime-widget.ts';

const [kubeconfigPath, namespace, objectsArg, workersArg] = process.argv.slice(2);
const objects = Number(objectsArg);
const workers = Number(workersArg);
if (!kubeconfigPath || !namespace || !(objects > 0) || !(workers > 0)) {
  console.error('usage: operator.ts <kubeconfig> <namespace> <objects> <workers>');
  process.exit(2);
}

const reconciled = new Set<string>();
const manager = new Manager({
  kubeConfig: loadKubeConfig(kubeconfigPath),
  httpPort: false,
  handleSignals: true,
});
addWidgetController(manager, {
  namespace,
  concurrency: workers,
  onReconciled: (key) => {
    if (reconciled.has(key)) return;
    reconciled.add(key);
    if (reconciled.size === objects) {
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      console.log(
        JSON.stringify({
          converged: objects,
          cpu: process.cpuUsage(),
          rss,
          heapUsed,
          heapTotal,
          external,
          arrayBuffers,
        }),
      );
    }
  },
});
await manager.start();
await Promise.all([...manager.informers()].map((informer) => informer.waitForSync()));
console.log(JSON.stringify({ ready: true }));
await manager.stopped;
// resourceUsage().maxRSS is the kernel's high-water mark for this process, in KiB.
console.log(JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
process.exit(0);
