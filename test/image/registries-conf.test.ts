/**
 * containers' registries.conf as gokiln reads it (src/image/registry/registries-conf.ts): parsing and
 * refusals, prefix matching, and where a name is looked up — the last checked against skopeo (the
 * containers/image library podman and buildah use), whose `--debug` log names every source it tries.
 */
import { test, describe } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadRegistriesConf,
  parseRegistriesConf,
  prefixMatch,
  pullSources,
  registriesConfPaths,
  type RegistriesConf,
} from '../../src/image/registry/registries-conf.js';
import { GokilnError } from '../../src/errors.js';
import { needTool, run } from '../project/helpers.js';
import { scratchDir } from '../harness/scratch.js';

const conf = (text: string, file = 'r.conf'): RegistriesConf => ({ registries: parseRegistriesConf(text, file, false), files: [file] });
const refused = (text: string, re: RegExp, dropIn = false) =>
  assert.throws(
    () => parseRegistriesConf(text, 'bad.conf', dropIn),
    (e: unknown) => e instanceof GokilnError && e.code === 'E_PARSE' && re.test(e.message) && e.details.file === 'bad.conf',
  );

// mirrors on a port nothing listens on: skopeo tries each source, fails at once, and logs it. No trailing
// slash on a mirror: skopeo 1.9 (Debian 12) keeps it and fails "invalid reference format"; containers/image
// trims it since (gokiln does, as the first test shows for a location)
const TRUTH_CONF = `
[[registry]]
prefix = "docker.io/library"
location = "127.0.0.1:1/primary/lib"
insecure = true
[[registry.mirror]]
location = "127.0.0.1:1/m1"
insecure = true
[[registry.mirror]]
location = "127.0.0.1:1/m2/deep"
insecure = true

[[registry]]
prefix = "docker.io"
location = "127.0.0.1:1/hub"
insecure = true
mirror-by-digest-only = true
[[registry.mirror]]
location = "127.0.0.1:1/digest-only"
insecure = true

[[registry]]
location = "127.0.0.1:1/gcr"
prefix = "gcr.io/distroless"
insecure = true
[[registry.mirror]]
location = "127.0.0.1:1/distroless-mirror"
insecure = true

[[registry]]
prefix = "*.example.com"
insecure = true
[[registry.mirror]]
location = "127.0.0.1:1/any-example"
insecure = true
`;
const D = 'sha256:5c16fe6e971d168e30064a43cc021254054b50d8025a48b978a311e76323383c';
const TRUTH_REFS = [
  'docker.io/library/golang:1.26-trixie',
  'docker.io/bitnami/redis:7',
  `docker.io/bitnami/redis@${D}`,
  'gcr.io/distroless/static-debian13:nonroot',
  'gcr.io/distroless-not/x:1',
  'quay.io/prometheus/node-exporter:v1.9.1',
  'a.b.example.com/team/app:2',
];

describe('registries.conf', () => {
  test('version 2: prefix defaults to the location, trailing slashes go, mirrors keep their order and settings', () => {
    const c = conf(
      '[[registry]]\nlocation = "reg.example/ns/"\ninsecure = true\n[[registry.mirror]]\nlocation = "m1.local/"\n[[registry.mirror]]\nlocation = "m2.local/x"\npull-from-mirror = "tag-only"\n',
    );
    assert.deepEqual(c.registries, [
      {
        prefix: 'reg.example/ns',
        location: 'reg.example/ns',
        insecure: true,
        blocked: false,
        mirrorByDigestOnly: false,
        mirrors: [
          { location: 'm1.local', insecure: false, pullFromMirror: 'all' },
          { location: 'm2.local/x', insecure: false, pullFromMirror: 'tag-only' },
        ],
        file: 'r.conf',
      },
    ]);
  });

  test('version 1 lists become blocked and insecure entries; aliases and search registries are read past', () => {
    const c = conf(
      '[registries.search]\nregistries = ["docker.io"]\n[registries.insecure]\nregistries = ["reg.local:5000"]\n[registries.block]\nregistries = ["evil.example", "reg.local:5000"]\n',
    );
    assert.deepEqual(
      c.registries.map((r) => [r.prefix, r.blocked, r.insecure]),
      [
        ['evil.example', true, false],
        ['reg.local:5000', true, true],
      ],
    );
    assert.equal(
      conf(
        'unqualified-search-registries = ["docker.io"]\nshort-name-mode = "enforcing"\n[aliases]\n"golang" = "docker.io/library/golang"\n',
      ).registries.length,
      0,
    );
  });

  test('refused as podman refuses them: E_PARSE naming the file', () => {
    refused('[[registry]\n', /not valid TOML/);
    refused('[[registry]]\nlocation = "https://reg.example"\n', /without http:\/\/ or https:\/\//);
    refused('[[registry]]\ninsecure = true\n', /neither a prefix nor a location/);
    refused('[[registry]]\nprefix = "reg.example/a"\n', /has no location/);
    refused('[[registry]]\nprefix = "*.example.com/foo"\n', /wildcard prefix names hosts only/);
    refused('[[registry]]\nlocation = "r.example"\n[[registry.mirror]]\ninsecure = true\n', /mirror without a location/);
    refused(
      '[[registry]]\nlocation = "r.example"\n[[registry.mirror]]\nlocation = "m"\npull-from-mirror = "sometimes"\n',
      /all, digest-only or tag-only/,
    );
    refused(
      '[[registry]]\nlocation = "r.example"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m"\npull-from-mirror = "all"\n',
      /cannot both be set/,
    );
    refused('[[registry]]\nlocation = "r.example"\npull-from-mirror = "all"\n', /belongs in a \[\[registry.mirror\]\]/);
    refused('[[registry]]\nlocation = "r.example"\ninsecure = "yes"\n', /insecure must be true or false/);
    refused('[registries.block]\nregistries = ["a.example"]\n[[registry]]\nlocation = "b.example"\n', /mixes the version 1/);
    refused('[registries.block]\nregistries = ["a.example"]\n', /drop-in file must use the version 2 format/, true);
  });

  test('prefix matching ends at a separator; *.host covers subdomains in the host part only', () => {
    const cases: Array<[string, string, number]> = [
      ['docker.io/library/golang', 'docker.io', 9],
      ['docker.io/library/golang', 'docker.io/library', 17],
      ['docker.io/library/golang', 'docker.io/lib', -1],
      ['docker.io/library/golang', 'docker.io/library/golang', 24],
      ['docker.io/library/golangci', 'docker.io/library/golang', -1],
      ['reg.example:5000/x', 'reg.example', 11],
      ['a.b.example.com/team/app', '*.example.com', 15],
      ['example.com/team/app', '*.example.com', -1],
      ['other.io/a.example.com/x', '*.example.com', -1],
    ];
    for (const [ref, prefix, want] of cases) assert.equal(prefixMatch(ref, prefix), want, `${ref} ~ ${prefix}`);
  });

  test('pull sources: the longest prefix wins, mirrors first (rewritten past the prefix), a digest-only mirror never for a tag', () => {
    const c = conf(TRUTH_CONF);
    assert.deepEqual(
      pullSources(c, 'docker.io/library/golang:1.26-trixie').map((s) => [s.ref, s.mirror]),
      [
        ['127.0.0.1:1/m1/golang:1.26-trixie', true],
        ['127.0.0.1:1/m2/deep/golang:1.26-trixie', true],
        ['127.0.0.1:1/primary/lib/golang:1.26-trixie', false],
      ],
    );
    assert.deepEqual(
      pullSources(c, 'docker.io/bitnami/redis:7').map((s) => s.ref),
      ['127.0.0.1:1/hub/bitnami/redis:7'],
    );
    assert.deepEqual(
      pullSources(c, `docker.io/bitnami/redis@${D}`).map((s) => s.ref),
      [`127.0.0.1:1/digest-only/bitnami/redis@${D}`, `127.0.0.1:1/hub/bitnami/redis@${D}`],
    );
    assert.deepEqual(pullSources(c, 'quay.io/a/b:1'), [{ ref: 'quay.io/a/b:1', insecure: false, mirror: false }]);
    // a wildcard entry has no location: the name stays as written, its mirrors still apply
    assert.deepEqual(
      pullSources(c, 'a.b.example.com/team/app:2').map((s) => s.ref),
      ['127.0.0.1:1/any-example/team/app:2', 'a.b.example.com/team/app:2'],
    );
    const tagOnly = conf(
      '[[registry]]\nlocation = "r.example"\n[[registry.mirror]]\nlocation = "t.local"\npull-from-mirror = "tag-only"\n[[registry.mirror]]\nlocation = "d.local"\npull-from-mirror = "digest-only"\n',
    );
    assert.deepEqual(
      pullSources(tagOnly, 'r.example/a:1').map((s) => s.ref),
      ['t.local/a:1', 'r.example/a:1'],
    );
    assert.deepEqual(
      pullSources(tagOnly, `r.example/a@${D}`).map((s) => s.ref),
      [`d.local/a@${D}`, `r.example/a@${D}`],
    );
  });

  test('truth: skopeo (containers/image) tries the same sources in the same order', (t) => {
    if (!needTool('skopeo')) return t.skip('skopeo not installed');
    const dir = scratchDir('gokiln-regconf-');
    writeFileSync(join(dir, 'registries.conf'), TRUTH_CONF);
    const c = conf(TRUTH_CONF);
    for (const ref of TRUTH_REFS) {
      // HOME apart: no user drop-in of this machine joins in
      const r = run('skopeo', ['--registries-conf', join(dir, 'registries.conf'), '--debug', 'inspect', '--raw', `docker://${ref}`], {
        env: { ...process.env, HOME: dir },
      });
      assert.notEqual(r.status, 0, `${ref}: nothing listens on 127.0.0.1:1`);
      const tried = [...r.stderr.matchAll(/Trying to access \\"([^"\\]+)\\"/g)].map((m) => m[1]);
      // skopeo goes straight to a primary it is not configured for; one source is also what gokiln tries
      const ours = pullSources(c, ref).map((s) => s.ref);
      if (tried.length === 0) assert.deepEqual(ours, [ref], `${ref}: skopeo tried only the name itself: ${r.stderr.slice(-600)}`);
      else assert.deepEqual(ours, tried, ref);
    }
  });

  test('files: $CONTAINERS_REGISTRIES_CONF, else the user file with only its drop-ins, else /etc and both drop-in directories', () => {
    const home = scratchDir('gokiln-regconf-home-');
    const sys = scratchDir('gokiln-regconf-etc-');
    const env = { HOME: home };
    assert.deepEqual(registriesConfPaths({ env, systemDir: sys }), {
      main: join(sys, 'registries.conf'),
      mainRequired: false,
      dropInDirs: [join(sys, 'registries.conf.d'), join(home, '.config/containers/registries.conf.d')],
    });
    assert.deepEqual(loadRegistriesConf({ env, systemDir: sys }), { registries: [], files: [] });

    writeFileSync(
      join(sys, 'registries.conf'),
      '[[registry]]\nprefix = "docker.io"\nlocation = "sys.local/hub"\n[[registry]]\nlocation = "quay.io"\nblocked = true\n',
    );
    mkdirSync(join(sys, 'registries.conf.d'));
    writeFileSync(join(sys, 'registries.conf.d', '10-hub.conf'), '[[registry]]\nprefix = "docker.io"\nlocation = "dropin.local/hub"\n');
    writeFileSync(join(sys, 'registries.conf.d', 'README'), 'not a .conf file: not read\n');
    mkdirSync(join(home, '.config/containers/registries.conf.d'), { recursive: true });
    writeFileSync(
      join(home, '.config/containers/registries.conf.d', '00-user.conf'),
      '[[registry]]\nprefix = "docker.io"\nlocation = "user.local/hub"\n',
    );
    const merged = loadRegistriesConf({ env, systemDir: sys });
    // the user's drop-ins come after the system's, whatever their names
    assert.deepEqual(merged.files, [
      join(sys, 'registries.conf'),
      join(sys, 'registries.conf.d', '10-hub.conf'),
      join(home, '.config/containers/registries.conf.d', '00-user.conf'),
    ]);
    assert.deepEqual(
      pullSources(merged, 'docker.io/library/golang:1').map((s) => s.ref),
      ['user.local/hub/library/golang:1'],
    );
    assert.equal(merged.registries.find((r) => r.prefix === 'quay.io')?.blocked, true);

    writeFileSync(join(home, '.config/containers/registries.conf'), '[[registry]]\nprefix = "gcr.io"\nlocation = "home.local/gcr"\n');
    const user = loadRegistriesConf({ env, systemDir: sys });
    assert.deepEqual(user.files, [
      join(home, '.config/containers/registries.conf'),
      join(home, '.config/containers/registries.conf.d', '00-user.conf'),
    ]);

    const own = join(home, 'mine.conf');
    writeFileSync(own, '[[registry]]\nprefix = "ghcr.io"\nlocation = "own.local"\n');
    const explicit = loadRegistriesConf({ env: { ...env, CONTAINERS_REGISTRIES_CONF: own }, systemDir: sys });
    assert.deepEqual(explicit.files, [
      own,
      join(sys, 'registries.conf.d', '10-hub.conf'),
      join(home, '.config/containers/registries.conf.d', '00-user.conf'),
    ]);
    assert.throws(
      () => loadRegistriesConf({ env: { ...env, CONTAINERS_REGISTRIES_CONF: join(home, 'missing.conf') }, systemDir: sys }),
      (e: unknown) => e instanceof GokilnError && e.code === 'E_NOT_FOUND' && /missing\.conf/.test(e.message),
    );
  });

  test('truth: skopeo reads the user file and lets a user drop-in replace an entry of the same prefix', (t) => {
    if (!needTool('skopeo')) return t.skip('skopeo not installed');
    const home = scratchDir('gokiln-regconf-skopeo-home-');
    mkdirSync(join(home, '.config/containers/registries.conf.d'), { recursive: true });
    writeFileSync(
      join(home, '.config/containers/registries.conf'),
      '[[registry]]\nprefix = "docker.io"\nlocation = "127.0.0.1:1/from-file"\ninsecure = true\n',
    );
    writeFileSync(
      join(home, '.config/containers/registries.conf.d', '50-mirror.conf'),
      '[[registry]]\nprefix = "docker.io"\nlocation = "127.0.0.1:1/from-dropin"\ninsecure = true\n[[registry.mirror]]\nlocation = "127.0.0.1:1/dropin-mirror"\ninsecure = true\n',
    );
    const r = run('skopeo', ['--debug', 'inspect', '--raw', 'docker://docker.io/library/golang:1.26'], {
      env: { ...process.env, HOME: home },
    });
    const tried = [...r.stderr.matchAll(/Trying to access \\"([^"\\]+)\\"/g)].map((m) => m[1]);
    const ours = pullSources(
      loadRegistriesConf({ env: { HOME: home }, systemDir: scratchDir('gokiln-regconf-noetc-') }),
      'docker.io/library/golang:1.26',
    ).map((s) => s.ref);
    assert.deepEqual(ours, ['127.0.0.1:1/dropin-mirror/library/golang:1.26', '127.0.0.1:1/from-dropin/library/golang:1.26']);
    assert.deepEqual(tried, ours);
  });
});
