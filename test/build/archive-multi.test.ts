/**
 * A multi-platform docker-archive as its consumers read it. Built with the host's platform listed second (so
 * "the first entry" and "the host's entry" differ), with and without the SBOM:
 * - `podman load`: without the SBOM, index.json holds one image and podman reads the OCI index, storing the
 *   host platform only; with it, podman falls back to manifest.json, stores both platforms and tags the
 *   host's. Either way the tag runs here, as uid 65532.
 * - `skopeo copy --override-arch` of each platform out of the archive gives that platform's image, whose
 *   binary is of that architecture (gokiln inspect on the file unpacked from its layer).
 */
import { test, describe, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { needTool } from '../project/helpers.js';
import { gokiln, podman, probeProject, RUN_FLAGS } from './helpers.js';
import { lowercaseDir } from '../harness/podman-root.js';
import { hostPlatform } from '../../src/build/options.js';

const missing = ['go', 'podman', 'runc', 'skopeo', 'tar'].filter((t) => !needTool(t));
const HOST = hostPlatform().architecture;
const OTHER = HOST === 'arm64' ? 'amd64' : 'arm64';

describe(
  'a multi-platform docker-archive: podman load and skopeo copy',
  { skip: missing.length ? `needs ${missing.join(', ')}` : false },
  () => {
    const src = probeProject();
    const work = lowercaseDir('gokiln-archive-multi-');
    after(() => rmSync(src, { recursive: true, force: true }));

    for (const sbom of ['spdx', 'none'] as const) {
      test(`--sbom ${sbom}: podman loads ${sbom === 'none' ? 'the host platform from the OCI index' : 'every platform from manifest.json'} and the tag runs here`, () => {
        const file = join(work, `multi-${sbom}.tar`);
        const r = gokiln([
          'build',
          src,
          '--platform',
          `linux/${OTHER},linux/${HOST}`,
          '--archive',
          file,
          '--tag',
          `multi${sbom}:1`,
          '--sbom',
          sbom,
          '--json',
        ]);
        assert.equal(r.status, 0, r.stderr);
        const manifest = JSON.parse(spawnSync('tar', ['-xOf', file, 'manifest.json'], { encoding: 'utf8' }).stdout) as Array<{
          RepoTags: string[];
        }>;
        assert.deepEqual(
          manifest.map((m) => m.RepoTags),
          [[], [`multi${sbom}:1`]],
          'the host platform (listed second) carries the tag',
        );
        const root = join(work, `podman-${sbom}`);
        const load = podman(root, ['load', '-i', file]);
        assert.equal(load.status, 0, load.stderr);
        const images = podman(root, ['images', '--format', '{{.ID}}']).stdout.trim().split('\n').filter(Boolean);
        assert.equal(images.length, sbom === 'none' ? 1 : 2, `images stored: ${images.join(', ')}`);
        const arch = podman(root, ['image', 'inspect', `localhost/multi${sbom}:1`, '--format', '{{.Architecture}}']);
        assert.equal(arch.stdout.trim(), HOST);
        const run = podman(root, ['run', '--rm', ...RUN_FLAGS, '--pull=never', `localhost/multi${sbom}:1`]);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, new RegExp(`^gokiln-probe uid=65532 gid=65532 arch=${HOST} `));
      });
    }

    test('skopeo copy --override-arch takes each platform out of the archive; each binary is of its architecture', () => {
      const file = join(work, 'multi-spdx.tar');
      for (const arch of [HOST, OTHER]) {
        const dst = join(work, `copy-${arch}`);
        const cp = spawnSync('skopeo', ['copy', '--override-arch', arch, `oci-archive:${file}:multispdx:1`, `oci:${dst}:${arch}`], {
          encoding: 'utf8',
        });
        assert.equal(cp.status, 0, cp.stderr);
        const insp = JSON.parse(spawnSync('skopeo', ['inspect', `oci:${dst}:${arch}`], { encoding: 'utf8' }).stdout) as {
          Architecture: string;
          Layers: string[];
        };
        assert.equal(insp.Architecture, arch);
        const app = insp.Layers.at(-1)!.replace('sha256:', '');
        const out = join(work, `bin-${arch}`);
        spawnSync('mkdir', ['-p', out]);
        const x = spawnSync('tar', ['-xzf', join(dst, 'blobs', 'sha256', app), '-C', out, 'app/probe'], { encoding: 'utf8' });
        assert.equal(x.status, 0, x.stderr);
        const facts = JSON.parse(gokiln(['inspect', '--json', join(out, 'app', 'probe')]).stdout) as Array<{ arch: string }>;
        assert.equal(facts[0]!.arch, arch);
        assert.ok(readFileSync(join(out, 'app', 'probe')).length > 0);
      }
    });
  },
);
