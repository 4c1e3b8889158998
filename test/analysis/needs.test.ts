/**
 * needsFromGo against independent truths: function names from `go tool nm`, settings from
 * `go version -m`, what each fixture's source imports (its recipe), and — for the DNS resolver — what Go
 * itself says at run time with GODEBUG=netdns=2 inside a stand-in root file system.
 */
import { test, describe, before } from 'node:test';
import { strict as assert } from 'node:assert';
import { needsFromGo, NO_NEEDS } from '../../src/analysis/needs.js';
import { fixture } from '../fixtures/index.js';
import { ensureRootfs, runInRootfs } from '../harness/rootfs.js';
import { packagesOfNames } from './verdict-truth.js';
import { goBuildSettings } from '../truth/go-version-m.js';
import { goFuncNames } from '../truth/go-nm.js';
import { missingTools } from '../truth/tools.js';

const CI = process.env.CI === 'true';

describe('needsFromGo (unit)', () => {
  const base = {
    packages: [] as string[],
    funcNames: [] as string[],
    settings: {} as Record<string, string>,
    cgo: false as boolean | null,
  };
  test('nothing linked, nothing needed', () => assert.deepEqual(needsFromGo(base), NO_NEEDS));
  test('system roots only when loadSystemRoots is reachable', () => {
    assert.equal(needsFromGo({ ...base, packages: ['crypto/x509'], funcNames: ['crypto/x509.ParseCertificate'] }).caCerts, false);
    assert.equal(needsFromGo({ ...base, packages: ['crypto/x509'], funcNames: ['crypto/x509.loadSystemRoots'] }).caCerts, true);
  });
  test('time zones: LoadLocation, not the Local-zone plumbing every program has', () => {
    assert.equal(
      needsFromGo({ ...base, packages: ['time'], funcNames: ['time.loadLocation', 'time.loadTzinfoFromDirOrZip', 'time.initLocal'] })
        .tzdata,
      false,
    );
    assert.equal(needsFromGo({ ...base, packages: ['time'], funcNames: ['time.LoadLocation'] }).tzdata, true);
    assert.equal(
      needsFromGo({ ...base, settings: { '-tags': 'netgo,timetzdata' }, funcNames: ['time.LoadLocation'] }).tzdataEmbedded,
      true,
    );
  });
  test('resolver: netgo / netcgo tags and cgo', () => {
    const both = ['net.(*Resolver).goLookupIPCNAMEOrder', 'net.cgoLookupHost', 'net._C2func_getaddrinfo.abi0'];
    assert.equal(needsFromGo({ ...base, cgo: true, settings: { CGO_ENABLED: '1' }, funcNames: both }).dnsResolver, 'both');
    assert.equal(
      needsFromGo({ ...base, cgo: true, settings: { CGO_ENABLED: '1', '-tags': 'netcgo' }, funcNames: both }).dnsResolver,
      'cgo',
    );
    assert.equal(
      needsFromGo({ ...base, cgo: true, settings: { CGO_ENABLED: '1', '-tags': 'netgo,osusergo' }, funcNames: both }).dnsResolver,
      'go',
    );
    assert.equal(needsFromGo({ ...base, funcNames: ['net.(*Resolver).goLookupIPCNAMEOrder'] }).dnsResolver, 'go');
    assert.equal(needsFromGo({ ...base, funcNames: ['net.ParseIP'], packages: ['net'] }).dns, false);
    // either name marks the cgo resolver: on darwin, Go reaches libSystem's getaddrinfo through
    // net.cgoLookup* with no cgo stubs (net/cgo_unix_syscall.go; the darwin-amd64 fixture links 9
    // net.cgoLookup* and no net._C2func_*), and cgo builds link net._C2func_getaddrinfo beside them
    const goLookup = 'net.(*Resolver).goLookupIPCNAMEOrder';
    assert.equal(needsFromGo({ ...base, cgo: null, funcNames: [goLookup, 'net.cgoLookupHost'] }).dnsResolver, 'both');
    assert.equal(needsFromGo({ ...base, cgo: null, funcNames: [goLookup, 'net._C2func_getaddrinfo.abi0'] }).dnsResolver, 'both');
    // CGO_ENABLED=0 alone settles it, whatever a caller says of cgo (null: not known) and whatever names came
    assert.equal(needsFromGo({ ...base, cgo: null, settings: { CGO_ENABLED: '0' }, funcNames: both }).dnsResolver, 'go');
  });
  test('without function names: system roots only with TLS client code (crypto/tls or net/http) beside crypto/x509', () => {
    // x509 alone parses certificates (no chain built against the system pool); tls and http import x509
    assert.equal(needsFromGo({ ...base, packages: ['crypto/x509'] }).caCerts, false);
    assert.equal(needsFromGo({ ...base, packages: ['crypto/x509', 'crypto/tls'] }).caCerts, true);
    assert.equal(needsFromGo({ ...base, packages: ['crypto/x509', 'net/http'] }).caCerts, true);
  });
  test('without function names (no pclntab) the package set decides', () => {
    const n = needsFromGo({ ...base, packages: ['crypto/tls', 'crypto/x509', 'net', 'net/http/pprof', 'expvar', 'plugin', 'os/user'] });
    assert.deepEqual([n.caCerts, n.dns, n.pprof, n.expvar, n.plugin, n.osUser], [true, true, true, true, true, true]);
  });
});

describe('needsFromGo on the fixtures (go tool nm + go version -m)', () => {
  const ready = missingTools(['go']).length === 0;
  function needsOf(name: string, twin = name) {
    const names = goFuncNames(fixture(twin));
    const settings = goBuildSettings(fixture(name));
    const cgo = settings['CGO_ENABLED'] === '1';
    return needsFromGo({ packages: packagesOfNames(names), funcNames: names, settings, cgo });
  }
  test('what each program imports', (t) => {
    if (!ready) {
      if (CI) assert.fail('go missing');
      return t.skip('no go');
    }
    // hello imports crypto/x509 (SystemCertPool), net, net/http, os/user and calls time.LoadLocation
    const hello = needsOf('static');
    assert.deepEqual(
      [hello.caCerts, hello.tzdata, hello.tzdataEmbedded, hello.osUser, hello.dns, hello.pprof, hello.expvar, hello.plugin],
      [true, true, false, true, true, false, false, false],
    );
    const tz = needsOf('tzdata');
    assert.deepEqual([tz.tzdata, tz.tzdataEmbedded, tz.caCerts, tz.dns, tz.osUser], [true, true, false, false, false]);
    const pp = needsOf('pprof');
    assert.equal(pp.pprof, true);
    assert.equal(needsOf('static-stripped', 'static').pprof, false);
  });
});

describe('DNS resolver: prediction vs GODEBUG=netdns=2 at run time', () => {
  let root = '';
  before(async () => {
    if (missingTools(['bwrap', 'go']).length) {
      if (CI) throw new Error('bwrap and go are needed');
      return;
    }
    root = await ensureRootfs('glibc-bookworm');
  });
  const GO_SAYS: Record<string, RegExp> = {
    go: /using the Go DNS resolver/,
    cgo: /using the cgo DNS resolver/,
    both: /dynamic selection of DNS resolver/,
  };
  for (const [name, rootName] of [
    ['static', 'glibc-bookworm'],
    ['cgo-glibc', 'glibc-bookworm'],
    ['glibc-static', 'glibc-bookworm'],
    ['musl-dynamic', 'musl'],
    ['musl-static', 'musl'],
  ] as const) {
    test(name, async (t) => {
      if (!root) return t.skip('tools missing');
      const names = goFuncNames(fixture(name));
      const settings = goBuildSettings(fixture(name));
      const n = needsFromGo({ packages: packagesOfNames(names), funcNames: names, settings, cgo: settings['CGO_ENABLED'] === '1' });
      assert.ok(n.dns && n.dnsResolver);
      const r = runInRootfs(await ensureRootfs(rootName), fixture(name), ['dns', 'localhost'], { env: { GODEBUG: 'netdns=2' } });
      assert.match(
        r.stderr,
        GO_SAYS[n.dnsResolver]!,
        `${name}: predicted ${n.dnsResolver}; Go says ${r.stderr.split('\n').slice(0, 2).join(' | ')}`,
      );
    });
  }
});
