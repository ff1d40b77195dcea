/**
 * hack/node/image.sh keeps a build's output out of the caller's terminal (`make demo` narrates there): one
 * line names the log, and only a failed build shows the log's end. Real buildah builds take minutes and need
 * root, so the build tools are stand-ins that print like a build; the script itself runs unchanged.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = new URL('../../hack/node/image.sh', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'steward-image-log-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// More build lines than the failure tail shows, so the test sees the tail is a tail.
const BUILD_LINES = 100;

// buildah: the bases exist; `bud` prints a build's worth of lines, then fails when FAKE_BUILD=fail;
// `push` writes the archive it names (docker-archive:PATH:NAME).
const BUILDAH = `#!/bin/sh
case " $* " in
  *" inspect "*) exit 0 ;;
  *" bud "*)
    i=1; while [ $i -le ${BUILD_LINES} ]; do echo "STEP $i/${BUILD_LINES}: build output"; i=$((i + 1)); done
    [ "$FAKE_BUILD" = fail ] && { echo "error: RUN pnpm install exited 1" >&2; exit 1; }
    exit 0 ;;
  *" push "*)
    for arg; do case "$arg" in docker-archive:*) path="\${arg#docker-archive:}"; : >"\${path%%:*}" ;; esac; done ;;
esac
exit 0
`;

function tools(): string {
  const root = join(scratch, 'tools');
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  };
  stub('buildah', BUILDAH);
  for (const name of ['debootstrap', 'dpkg-deb', 'apt-cache']) stub(name, '#!/bin/sh\nexit 0\n');
  // pnpm: its version comes from the package.json beside its bin folder; the store is a scratch folder.
  stub('pnpm', `#!/bin/sh\necho ${join(scratch, 'store', 'v10')}\n`);
  writeFileSync(join(root, 'package.json'), '{"version":"10.0.0"}\n');
  symlinkSync(process.execPath, join(bin, 'node'));
  return bin;
}
const bin = tools();

function build(name: string, fakeBuild: 'pass' | 'fail') {
  const log = join(scratch, name, 'image-build.log');
  const result = spawnSync(script, {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      STEWARD_CACHE: join(scratch, name, 'cache'),
      STEWARD_IMAGE_BUILD_LOG: log,
      FAKE_BUILD: fakeBuild,
    },
  });
  return { ...result, log };
}

describe('hack/node/image.sh', () => {
  it('writes a build to its log and prints one line naming the log, then the image', () => {
    const { status, stdout, stderr, log } = build('pass', 'pass');
    expect(status, stderr).toBe(0);
    expect(stderr).toContain(`image: building the Steward image localhost/steward:`);
    expect(stderr).toContain(`(log: ${log})`);
    expect(stderr).not.toContain('STEP');
    expect(stdout).toMatch(/^STEWARD_IMAGE=localhost\/steward:\w+\nSTEWARD_IMAGE_ARCHIVE=.+\.tar\n$/);
    expect(readFileSync(log, 'utf8')).toContain(`STEP ${BUILD_LINES}/${BUILD_LINES}: build output`);
  });

  it('shows the end of the log, with the error, when the build fails', () => {
    const { status, stdout, stderr, log } = build('fail', 'fail');
    expect(status).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(`the build failed (exit 1); the last lines of ${log}:`);
    expect(stderr).toContain('error: RUN pnpm install exited 1');
    expect(stderr).toContain(`STEP ${BUILD_LINES}/${BUILD_LINES}`);
    expect(stderr).not.toContain(`STEP 1/${BUILD_LINES}:`);
    expect(readFileSync(log, 'utf8')).toContain(`STEP 1/${BUILD_LINES}:`);
  });
});
