import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parseAllDocuments } from 'yaml';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan } from '../../src/project/plan.js';
import { generateFiles } from '../../src/generate/init.js';
import { renderK8s, DEBUG_BUSYBOX } from '../../src/generate/k8s.js';
import { renderPprofAdmin, ADMIN_DEFAULT_ADDR } from '../../src/generate/pprof-admin.js';
import { TODAY, matchSnapshot, needTool, run } from '../project/helpers.js';
import { scratchDir } from '../harness/scratch.js';

const require = createRequire(import.meta.url);
// kubernetes-models ships validators compiled (with ajv) from the Kubernetes OpenAPI definitions
const { Deployment } = require('kubernetes-models/apps/v1/Deployment') as { Deployment: new (o: object) => { validate(): void } };

function k8sFor(ex: string, paradigm: 'alpine' | 'ubuntu' | 'distroless') {
  const plan = buildPlan(scanProject(`examples/${ex}`, { go: null }), { today: TODAY });
  const { spec, specs } = generateFiles(plan, { paradigm, hasGoSum: false });
  return { plan, spec, out: renderK8s(plan, specs) };
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('k8s manifests', () => {
  for (const [ex, paradigm] of [
    ['hello-service', 'distroless'],
    ['multi-cmd', 'alpine'],
    ['png-cgo', 'ubuntu'],
  ] as const) {
    test(`${ex}/${paradigm}: every Deployment (YAML as written) validates against the Kubernetes OpenAPI schema`, () => {
      const { out, spec } = k8sFor(ex, paradigm);
      const prod = out.files.find((f) => f.path === 'k8s/deployment.yaml')!;
      const dbg = out.files.find((f) => f.path === 'k8s/debug/deployment-debug.yaml')!;
      matchSnapshot('generate', `${ex}.${paradigm}.deployment.yaml`, prod.content);
      matchSnapshot('generate', `${ex}.${paradigm}.deployment-debug.yaml`, dbg.content);
      const docs = [prod, dbg].flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as Obj));
      assert.equal(docs.length, 2 * spec.binaries.length);
      for (const d of docs) assert.doesNotThrow(() => new Deployment(d).validate(), `${d.metadata?.name}`);
      // the validator really checks types: a wrong one is caught
      const broken = structuredClone(docs[0]!);
      broken.spec.template.spec.containers[0].securityContext.runAsNonRoot = 'yes';
      assert.throws(() => new Deployment(broken).validate(), /runAsNonRoot must be boolean/);
    });
  }

  test('production Deployment is hardened and exposes no pprof port; the debug overlay shares the process namespace with SYS_PTRACE only in the sidecar', () => {
    const { out, spec } = k8sFor('hello-service', 'distroless');
    const d = out.deployments[0] as Obj;
    const pod = d.spec.template.spec;
    const c = pod.containers[0];
    assert.deepEqual(c.securityContext, {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    assert.equal(spec.user.uid, 65532);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    // only the port the program listens on (main.go's ":8080"), never the admin port
    assert.deepEqual(c.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(c.readinessProbe?.tcpSocket, { port: 8080 });
    assert.equal(pod.shareProcessNamespace, undefined);
    const dbg = (out.debugDeployments[0] as Obj).spec.template.spec;
    assert.equal(dbg.shareProcessNamespace, true);
    assert.deepEqual(dbg.containers[0].ports, [{ name: 'pprof', containerPort: 6060, protocol: 'TCP' }]);
    assert.deepEqual(dbg.containers[0].securityContext.capabilities, { drop: ['ALL'] });
    assert.deepEqual(dbg.containers[1].securityContext.capabilities, { drop: ['ALL'], add: ['SYS_PTRACE'] });
    const readme = out.files.find((f) => f.path === 'k8s/debug/README.md')!.content;
    assert.match(readme, new RegExp(`kubectl debug -it POD --image=${DEBUG_BUSYBOX.image.replace(/\./g, '\\.')} --target=hello-service`));
    assert.match(DEBUG_BUSYBOX.image, /^busybox:\d+\.\d+\.\d+$/);
  });
});

describe('pprof admin package', () => {
  test(
    'binds loopback by default, and serves pprof and expvar on its own mux while DefaultServeMux serves the public port',
    { skip: needTool('go') ? false : 'go not installed' },
    () => {
      assert.equal(ADMIN_DEFAULT_ADDR, 'localhost:6060');
      const dir = scratchDir('gokiln-admin-');
      writeFileSync(join(dir, 'go.mod'), 'module example.com/admintest\n\ngo 1.26\n');
      mkdirSync(join(dir, 'admin'));
      const src = renderPprofAdmin('admin');
      matchSnapshot('generate', 'admin.go', src);
      writeFileSync(join(dir, 'admin', 'admin.go'), src);
      // a program that starts the admin listener on a free loopback port and probes both endpoints,
      // plus a public mux of its own to show the admin paths are not on it
      writeFileSync(
        join(dir, 'main.go'),
        `package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"

	"example.com/admintest/admin"
)

func get(url string) int {
	r, err := http.Get(url)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return r.StatusCode
}

func main() {
	ln, err := admin.Start("127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	base := "http://" + ln.Addr().String()
	public := httptest.NewServer(http.NewServeMux())
	defer public.Close()
	fmt.Println(admin.DefaultAddr, get(base+"/debug/pprof/"), get(base+"/debug/pprof/cmdline"), get(base+"/debug/vars"), get(public.URL+"/debug/pprof/"))
}
`,
      );
      const vet = run('go', ['vet', './...'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local' } });
      assert.equal(vet.status, 0, vet.stderr);
      const r = run('go', ['run', '.'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' } });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'localhost:6060 200 200 200 404');
    },
  );
});
