/**
 * `gokiln init --pin-digests` through the CLI against a real registry (Debian's docker-registry) standing in
 * for Docker Hub and gcr.io as a mirror named in a containers registries.conf, the primaries blocked so no
 * test reaches the Internet. The stand-in images are small ones gokiln's own `build --push` writes, under
 * the names the generator uses; each pinned digest is checked against skopeo reading the same reference
 * through the same registries.conf, and the pinned Dockerfile lints with no finding at all.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { scanProject } from '../../src/project/scan.js';
import { buildPlan } from '../../src/project/plan.js';
import { generateFiles } from '../../src/generate/init.js';
import { baseImages } from '../../src/generate/pin.js';
import { copyExample, needTool, run } from '../project/helpers.js';
import { scratchDir } from '../harness/scratch.js';
import { gokilnAsync, probeProject } from '../build/helpers.js';
import { freePort, startProxy, startRegistry, type Registry } from '../image/registry-harness.js';
import { fromImages, mirrorConf, mirrorPath, sha256 } from '../image/mirror-helpers.js';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv').default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateInit = ajv.compile(JSON.parse(readFileSync('schemas/init.schema.json', 'utf8')) as object);
const validateError = ajv.compile(JSON.parse(readFileSync('schemas/error.schema.json', 'utf8')) as object);

const missing = ['go', 'docker-registry', 'htpasswd', 'skopeo'].filter((t) => !needTool(t));
const skip = missing.length ? `${missing.join(', ')} needed` : false;

const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

describe('gokiln init --pin-digests', { skip }, () => {
  let reg: Registry | null = null;
  let authReg: Registry | null = null;
  const home = scratchDir('gokiln-pin-home-');
  const noDockerConfig = scratchDir('gokiln-pin-docker-config-');
  let conf = '';
  let images: string[] = [];
  // HOME apart: neither this machine's user registries.conf nor its docker login takes part
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    HOME: home,
    DOCKER_CONFIG: noDockerConfig,
    CONTAINERS_REGISTRIES_CONF: conf,
    ...extra,
  });
  // skopeo sends --creds to the primary only, never to a mirror: an auth file names the mirror's host
  const skopeoRaw = (ref: string, registriesConf: string, authfile?: string) => {
    const r = run(
      'skopeo',
      ['--registries-conf', registriesConf, 'inspect', '--raw', ...(authfile ? ['--authfile', authfile] : []), `docker://${ref}`],
      { env: { ...process.env, HOME: home } },
    );
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  before(async () => {
    reg = await startRegistry();
    authReg = await startRegistry({ user: 'kiln', password: 'mirror-pw-7' });
    conf = mirrorConf(home, reg.host);
    // the images init names for hello-service, from the generator itself
    const plan = buildPlan(scanProject(copyExample('hello-service')));
    images = baseImages(generateFiles(plan, { hasGoSum: false }).specs);
    assert.equal(images.length, 2, images.join(', '));
    // stand-ins: the builder a two-platform index (as Docker Hub's golang is), the runtime one manifest;
    // the same bytes copied to the registry behind a password
    const src = probeProject();
    try {
      for (const [i, ref] of images.entries()) {
        const r = await gokilnAsync(
          ['build', src, '--platform', i === 0 ? 'linux/amd64,linux/arm64' : 'linux/amd64', '--push', `${reg.host}/${mirrorPath(ref)}`],
          { DOCKER_CONFIG: noDockerConfig },
        );
        assert.equal(r.status, 0, r.stderr);
        const cp = run('skopeo', [
          'copy',
          '--all',
          '--preserve-digests',
          '--src-tls-verify=false',
          '--dest-tls-verify=false',
          '--dest-creds',
          'kiln:mirror-pw-7',
          `docker://${reg.host}/${mirrorPath(ref)}`,
          `docker://${authReg.host}/${mirrorPath(ref)}`,
        ]);
        assert.equal(cp.status, 0, cp.stderr);
      }
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });
  after(async () => {
    await reg?.stop();
    await authReg?.stop();
  });

  test('each FROM is name:tag@digest, the digest skopeo reads for the same name through the same mirror; lint finds nothing', async () => {
    const dir = copyExample('hello-service');
    const r = await gokilnAsync(['init', dir, '--pin-digests', '--json'], env());
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      pins: Array<{ ref: string; name: string; digest: string; mediaType: string; source: string; platforms: string[] }>;
    };
    assert.ok(validateInit(out), JSON.stringify(validateInit.errors));
    const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const froms = fromImages(text);
    assert.deepEqual(
      froms.map((f) => f.replace(/@.*$/, '')),
      images,
    );
    for (const from of froms) {
      const [ref, digest] = from.split('@') as [string, string];
      assert.equal(digest, sha256(skopeoRaw(ref, conf)), `${ref}: the digest of the manifest skopeo reads for it`);
      assert.equal(out.pins.find((p) => p.ref === ref)?.digest, digest);
    }
    // a multi-platform image is pinned by its index, as docker pins are: every platform still resolves
    const builder = out.pins.find((p) => p.ref === images[0])!;
    assert.equal(builder.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(builder.platforms, ['linux/amd64', 'linux/arm64']);
    assert.equal(builder.source, `${reg!.host}/${mirrorPath(images[0]!)}`);
    assert.equal(out.pins.find((p) => p.ref === images[1])!.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    // nothing else changed: the same Dockerfile as without the flag, but for the digests and the header naming it
    const plain = generateFiles(buildPlan(scanProject(dir)), { hasGoSum: false }).files[0]!.content;
    assert.equal(text.replace(/@sha256:[0-9a-f]{64}/g, '').replace(' --pin-digests', ''), plain);

    const lint = await gokilnAsync(['lint', join(dir, 'Dockerfile'), '--json']);
    assert.equal(lint.status, 0, lint.stderr);
    assert.deepEqual(JSON.parse(lint.stdout), []);
    // and the truth of the contrast: the same file unpinned carries GK003's info on each FROM
    writeFileSync(join(dir, 'Dockerfile'), plain);
    const unpinned = JSON.parse((await gokilnAsync(['lint', join(dir, 'Dockerfile'), '--json'])).stdout) as Array<{
      rule: string;
      severity: string;
    }>;
    assert.deepEqual(
      unpinned.map((f) => [f.rule, f.severity]),
      [
        ['GK003', 'info'],
        ['GK003', 'info'],
      ],
    );
  });

  test('a tag that moves is pinned to what it names now', async () => {
    // the runtime's tag re-pushed as the builder's index: the pin follows the registry, nothing is cached
    const dir = copyExample('hello-service');
    const cp = run('skopeo', [
      'copy',
      '--all',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      `docker://${reg!.host}/${mirrorPath(images[0]!)}`,
      `docker://${reg!.host}/${mirrorPath(images[1]!)}`,
    ]);
    assert.equal(cp.status, 0, cp.stderr);
    try {
      const r = await gokilnAsync(['init', dir, '--pin-digests'], env());
      assert.equal(r.status, 0, r.stderr);
      const runtime = fromImages(readFileSync(join(dir, 'Dockerfile'), 'utf8'))[1]!;
      assert.equal(runtime, `${images[1]}@${sha256(skopeoRaw(images[0]!, conf))}`);
      assert.match(r.stdout, new RegExp(`pinned ${images[1]!.replace(/[.]/g, '\\.')}@sha256:[0-9a-f]{64} \\(read from ${reg!.host}/gcr/`));
    } finally {
      // put the single-manifest stand-in back for the other tests (the registry behind a password kept it)
      const back = run('skopeo', [
        'copy',
        '--all',
        '--preserve-digests',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        '--src-creds',
        'kiln:mirror-pw-7',
        `docker://${authReg!.host}/${mirrorPath(images[1]!)}`,
        `docker://${reg!.host}/${mirrorPath(images[1]!)}`,
      ]);
      assert.equal(back.status, 0, back.stderr);
    }
  });

  test('the mirror asks for credentials: those of $DOCKER_CONFIG for the mirror host; none is E_AUTH and nothing is written', async () => {
    const authConf = mirrorConf(scratchDir('gokiln-pin-authconf-'), authReg!.host);
    const dir = copyExample('hello-service');
    const before = listing(dir);
    const none = await gokilnAsync(['init', dir, '--pin-digests'], env({ CONTAINERS_REGISTRIES_CONF: authConf }));
    assert.equal(none.status, 2, none.stderr);
    assert.match(none.stderr, /^gokiln: E_AUTH: cannot resolve .* to a digest .*none is configured/m);
    assert.deepEqual(listing(dir), before);

    const cfg = scratchDir('gokiln-pin-creds-');
    writeFileSync(
      join(cfg, 'config.json'),
      JSON.stringify({ auths: { [authReg!.host]: { auth: Buffer.from('kiln:mirror-pw-7').toString('base64') } } }),
    );
    const ok = await gokilnAsync(['init', dir, '--pin-digests'], env({ CONTAINERS_REGISTRIES_CONF: authConf, DOCKER_CONFIG: cfg }));
    assert.equal(ok.status, 0, ok.stderr);
    assert.doesNotMatch(ok.stdout + ok.stderr, /mirror-pw-7/);
    for (const from of fromImages(readFileSync(join(dir, 'Dockerfile'), 'utf8'))) {
      const [ref, digest] = from.split('@') as [string, string];
      assert.equal(digest, sha256(skopeoRaw(ref, authConf, join(cfg, 'config.json'))), ref);
    }
  });

  test('an unknown tag is E_NOT_FOUND naming each place asked; nothing is written', async () => {
    const dir = copyExample('hello-service');
    const before = listing(dir);
    // the Alpine paradigm's images are not on the mirror
    const r = await gokilnAsync(['init', dir, '--pin-digests', '--paradigm', 'alpine', '--json'], env());
    assert.equal(r.status, 2, r.stderr);
    const err = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    assert.ok(validateError(err), JSON.stringify(validateError.errors));
    assert.equal(err.error.code, 'E_NOT_FOUND');
    assert.match(
      err.error.message,
      new RegExp(
        `cannot resolve golang:[^ ]*alpine[^ ]* to a digest \\(mirrors of docker\\.io in ${conf.replace(/[.]/g, '\\.')}\\): ${reg!.host}/hub/library/golang:[^ ]*: ${reg!.host} has no tag .*MANIFEST_UNKNOWN.*; docker\\.io/library/golang:[^ ]*: docker\\.io is blocked in`,
      ),
    );
    assert.deepEqual(listing(dir), before);
  });

  test('with --offline, the images are resolved before go mod vendor: a refusal leaves no vendor/ behind', async () => {
    const dir = copyExample('vendored');
    rmSync(join(dir, 'vendor'), { recursive: true, force: true });
    const before = listing(dir);
    const r = await gokilnAsync(['init', dir, '--offline', '--pin-digests', '--paradigm', 'alpine'], env());
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^gokiln: E_NOT_FOUND: cannot resolve golang:/m);
    assert.deepEqual(listing(dir), before);
  });

  test('an unreachable mirror is E_NETWORK; a blocked registry without mirrors is E_REGISTRY; nothing is written', async () => {
    const dir = copyExample('hello-service');
    const before = listing(dir);
    const closed = mirrorConf(scratchDir('gokiln-pin-closed-'), `127.0.0.1:${await freePort()}`);
    const down = await gokilnAsync(['init', dir, '--pin-digests'], env({ CONTAINERS_REGISTRIES_CONF: closed }));
    assert.equal(down.status, 2, down.stderr);
    assert.match(down.stderr, /^gokiln: E_NETWORK: cannot resolve .*ECONNREFUSED.*is blocked in/m);
    assert.deepEqual(listing(dir), before);

    const blockedOnly = join(scratchDir('gokiln-pin-blocked-'), 'registries.conf');
    writeFileSync(blockedOnly, '[registries.block]\nregistries = ["docker.io", "gcr.io"]\n');
    const blocked = await gokilnAsync(['init', dir, '--pin-digests'], env({ CONTAINERS_REGISTRIES_CONF: blockedOnly }));
    assert.equal(blocked.status, 2, blocked.stderr);
    assert.match(
      blocked.stderr,
      /^gokiln: E_REGISTRY: cannot resolve \S+ to a digest: (docker|gcr)\.io is blocked in .*registries\.conf$/m,
    );
    assert.deepEqual(listing(dir), before);

    const bad = join(scratchDir('gokiln-pin-badconf-'), 'registries.conf');
    writeFileSync(bad, '[[registry]]\nlocation = "http://mirror.example"\n');
    const parse = await gokilnAsync(['init', dir, '--pin-digests'], env({ CONTAINERS_REGISTRIES_CONF: bad }));
    assert.equal(parse.status, 2, parse.stderr);
    assert.match(parse.stderr, /^gokiln: E_PARSE: .*registries\.conf: location http:\/\/mirror\.example: write host\[:port\]/m);
    assert.deepEqual(listing(dir), before);
  });

  test('manifest bytes that do not hash to the digest the registry names: E_DIGEST, nothing written', async () => {
    const proxy = await startProxy(reg!.port, (m, p) => (m === 'GET' && p.includes('/manifests/') ? 'corrupt-response' : 'pass'));
    try {
      const dir = copyExample('hello-service');
      const before = listing(dir);
      const r = await gokilnAsync(
        ['init', dir, '--pin-digests'],
        env({ CONTAINERS_REGISTRIES_CONF: mirrorConf(scratchDir('gokiln-pin-proxy-'), proxy.host) }),
      );
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^gokiln: E_DIGEST: cannot resolve .*says sha256:[0-9a-f]{64}, the bytes received hash to sha256:/m);
      assert.deepEqual(listing(dir), before);
    } finally {
      await proxy.stop();
    }
  });

  test('without --pin-digests nothing is read: a registries.conf that does not exist does not matter; with --diff it is refused', async () => {
    const dir = copyExample('hello-service');
    const gone = join(home, 'no-such-registries.conf');
    const r = await gokilnAsync(['init', dir], env({ CONTAINERS_REGISTRIES_CONF: gone }));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fromImages(readFileSync(join(dir, 'Dockerfile'), 'utf8')), images);
    const withIt = await gokilnAsync(['init', copyExample('hello-service'), '--pin-digests'], env({ CONTAINERS_REGISTRIES_CONF: gone }));
    assert.equal(withIt.status, 2);
    assert.match(withIt.stderr, /^gokiln: E_NOT_FOUND: .*no-such-registries\.conf: cannot read the registries configuration/m);
    const diff = await gokilnAsync(['init', dir, '--pin-digests', '--diff'], env());
    assert.equal(diff.status, 2);
    assert.match(diff.stderr, /E_USAGE: --diff writes no Dockerfile/);
  });
});
