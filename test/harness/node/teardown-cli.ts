// `node teardown-cli.ts <node folder>/run.json`: removes what a node left on the host when the
// process that started it could not (the guardian and the exit hook run this). Exits 1 and names
// what is left when the host could not be restored.
import { readRunRecord, teardownNode } from './teardown.ts';

const recordFile = process.argv[2];
if (!recordFile) {
  console.error('usage: teardown-cli.ts <node folder>/run.json');
  process.exit(2);
}
const problems = teardownNode(readRunRecord(recordFile));
for (const problem of problems) console.error(`node teardown: ${problem}`);
process.exitCode = problems.length === 0 ? 0 : 1;
