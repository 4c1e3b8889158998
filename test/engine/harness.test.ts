/**
 * The engine harness itself (harness/engine.ts), on one small image: a docker-archive and an OCI layout
 * load; a build from a context; a run as the image's USER and as another user, with its exit code,
 * stdout and stderr captured apart; nothing left behind.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Engine, haveEngine } from '../harness/engine.js';
import { ensureBaseImage } from '../fixtures/base-images.js';
import { needTool, run } from '../project/helpers.js';

const MAIN = `package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Printf("uid=%d gid=%d args=%q\\n", os.Getuid(), os.Getgid(), os.Args[1:])
	fmt.Fprintln(os.Stderr, "to stderr")
	os.Exit(3)
}
`;

test(
  'engine harness: load a docker-archive and an OCI layout, build, run as the image USER or --user, exit code and streams apart, storage removed',
  { timeout: 10 * 60_000 },
  async (t) => {
    if (!haveEngine(t)) return;
    if (!needTool('go') || !needTool('mmdebstrap')) return t.skip('go or mmdebstrap not installed');
    const dir = mkdtempSync(join(tmpdir(), 'gokiln-engine-harness-'));
    const engines: Engine[] = [];
    try {
      writeFileSync(join(dir, 'go.mod'), 'module example.com/ids\n\ngo 1.26\n');
      writeFileSync(join(dir, 'main.go'), MAIN);
      const b = run('go', ['build', '-o', 'ids', '.'], { cwd: dir, env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' } });
      assert.equal(b.status, 0, b.stderr);
      writeFileSync(join(dir, 'Dockerfile'), 'FROM gcr.io/distroless/static-debian13:nonroot\nCOPY ids /ids\nENTRYPOINT ["/ids"]\n');
      writeFileSync(join(dir, '.dockerignore'), '*.go\ngo.mod\n');

      const e = await Engine.start();
      engines.push(e);
      await e.load(await ensureBaseImage('gcr.io/distroless/static-debian13:nonroot'));
      const built = await e.build({ context: dir, tag: 'localhost/ids' });
      assert.equal(built.exitCode, 0, built.stderr);
      const cfg = await e.imageConfig('localhost/ids');
      assert.equal(cfg.User, '65532');
      assert.deepEqual(cfg.Entrypoint, ['/ids']);

      const asImage = await e.run('localhost/ids', { args: ['a b', 'c'] });
      assert.deepEqual([asImage.exitCode, asImage.stdout, asImage.stderr], [3, 'uid=65532 gid=65532 args=["a b" "c"]\n', 'to stderr\n']);
      const asOther = await e.run('localhost/ids', { user: '1234:4321' });
      assert.deepEqual([asOther.exitCode, asOther.stdout], [3, 'uid=1234 gid=4321 args=[]\n']);

      // the same image through an OCI layout, into a second storage
      const layout = join(dir, 'layout');
      const pushed = await e.buildah(['push', 'localhost/ids', `oci:${layout}`]);
      assert.equal(pushed.exitCode, 0, pushed.stderr);
      const e2 = await Engine.start();
      engines.push(e2);
      await e2.loadOci(layout, 'localhost/ids-copy');
      const copy = await e2.run('localhost/ids-copy');
      assert.deepEqual([copy.exitCode, copy.stdout, copy.stderr], [3, 'uid=65532 gid=65532 args=[]\n', 'to stderr\n']);

      for (const x of engines.splice(0)) {
        await x.close();
        assert.equal(existsSync(x.dir), false, `${x.dir} removed`);
      }
    } finally {
      for (const x of engines) await x.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
