// `node can-host-cli.ts`: exit 0 when this machine can host the end-to-end node; otherwise print
// why (for `make test`, which then skips the tier and says so) and exit 1.
import { whyNodeCannotRun } from './host-support.ts';

const reason = whyNodeCannotRun();
if (reason) console.log(reason);
process.exitCode = reason ? 1 : 0;
