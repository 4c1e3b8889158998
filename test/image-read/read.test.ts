/**
 * The image reader against images made byte by byte: layers applied in order (whiteouts, opaque
 * directories, hard links, duplicate entries), symlinks resolved inside the root, the same image read
 * as an OCI layout, a docker-archive written by skopeo and a docker-archive holding an OCI layout, and
 * a tampered blob refused with E_DIGEST.
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage } from '../../src/image/read/read-image.js';
import type { FileNode } from '../../src/image/read/tree.js';
import { isGokilnError } from '../../src/errors.js';
import { haveTool } from '../truth/tools.js';
import { tarOf, writeLayout, type Entry } from '../verify/layout.js';

const f = (name: string, content: string, mode = 0o644): Entry => ({ name, type: 'file', content, mode });

describe('image reader', () => {
  let dir: string;
  let ref: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gokiln-read-'));
    ref = await writeLayout(join(dir, 'oci'), {
      layers: [
        {
          entries: [
            { name: 'etc', type: 'directory' },
            f('etc/passwd', 'root:x:0:0::/:/x\n'),
            f('app', 'old'),
            { name: 'd', type: 'directory' },
            f('d/a', 'a'),
            f('d/b', 'b'),
            f('bin/tool', 'tool', 0o755),
            { name: 'usr/bin/app', type: 'symlink', linkname: '../../opt/app' },
            { name: 'up', type: 'symlink', linkname: '../../../../etc' },
            { name: 'abs', type: 'symlink', linkname: '/etc' },
            { name: 'loop1', type: 'symlink', linkname: 'loop2' },
            { name: 'loop2', type: 'symlink', linkname: 'loop1' },
          ],
        },
        {
          entries: [
            f('.wh.app', ''),
            f('d/.wh..wh..opq', ''),
            f('d/c', 'c'),
            { name: 'bin/hard', type: 'link', linkname: 'bin/tool' },
            f('opt/app', 'first'),
            f('opt/app', 'second'),
          ],
        },
        { entries: [f('app', 'new', 0o755)] },
      ],
      tag: 't1',
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function text(view: Awaited<ReturnType<typeof readImage>>, path: string): Promise<string> {
    const l = view.tree.lookup(path);
    assert.ok(l.node && l.node.type === 'file', `${path} is a file`);
    return Buffer.from(await view.content(l.node as FileNode)).toString();
  }

  test('whiteouts delete, opaque directories hide lower layers, a later layer re-adds', async () => {
    const v = await readImage(ref, { capture: (p) => (p === '/etc/passwd' ? 'keep' : null) });
    assert.equal(await text(v, '/app'), 'new');
    assert.equal((v.tree.lookup('/app').node as FileNode).mode, 0o755);
    const d = v.tree.lookup('/d').node;
    assert.ok(d?.type === 'dir');
    assert.deepEqual([...d.children.keys()], ['c']);
    // kept while streaming: no second read needed
    assert.ok((v.tree.lookup('/etc/passwd').node as FileNode).content);
  });

  test('hard links share the content; the last of duplicate entries wins', async () => {
    const v = await readImage(ref);
    assert.equal(await text(v, '/bin/hard'), 'tool');
    assert.equal(await text(v, '/opt/app'), 'second');
  });

  test('symlinks resolve inside the root: relative, absolute and climbing ones; loops are ELOOP', async () => {
    const v = await readImage(ref);
    assert.equal(v.tree.lookup('/usr/bin/app').path, '/opt/app');
    assert.equal(await text(v, '/usr/bin/app'), 'second');
    assert.equal(v.tree.lookup('/up/passwd').path, '/etc/passwd');
    assert.equal(v.tree.lookup('/abs/passwd').path, '/etc/passwd');
    const loop = v.tree.lookup('/loop1');
    assert.equal(loop.node, null);
    assert.ok(loop.node === null && loop.error === 'ELOOP');
  });

  test('the same image from skopeo docker-archive and from a docker-archive holding an OCI layout', async (t) => {
    if (!haveTool(t, 'skopeo')) return;
    const archive = join(dir, 'image.tar');
    const r = spawnSync('skopeo', ['copy', '--quiet', `${ref}`, `docker-archive:${archive}:x/y:t1`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const a = await readImage(`docker-archive:${archive}`);
    assert.equal(await text(a, '/app'), 'new');
    assert.equal(await text(a, '/usr/bin/app'), 'second');
    // an OCI layout inside a tar, as newer `docker save` writes
    const files: Entry[] = [];
    const oci = join(dir, 'oci');
    const walk = (rel: string): void => {
      for (const n of readdirSync(join(oci, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${n.name}` : n.name;
        if (n.isDirectory()) walk(p);
        else files.push({ name: p, type: 'file', content: readFileSync(join(oci, p)) });
      }
    };
    walk('');
    writeFileSync(join(dir, 'oci.tar'), await tarOf(files));
    const b = await readImage(`docker-archive:${join(dir, 'oci.tar')}`);
    assert.equal(await text(b, '/app'), 'new');
    assert.deepEqual(
      [...b.tree.walk()].map((e) => e.path),
      [...a.tree.walk()].map((e) => e.path),
    );
  });

  test('a tampered layer is refused with E_DIGEST; an unknown tag with E_NOT_FOUND', async () => {
    const copy = join(dir, 'tampered');
    await writeLayout(copy, { layers: [{ entries: [f('app', 'x')], gzip: false }] });
    const blobs = join(copy, 'blobs', 'sha256');
    const idx = JSON.parse(readFileSync(join(copy, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    const manifest = JSON.parse(readFileSync(join(blobs, idx.manifests[0]!.digest.slice(7)), 'utf8')) as {
      layers: Array<{ digest: string }>;
    };
    const layer = join(blobs, manifest.layers[0]!.digest.slice(7));
    const bytes = readFileSync(layer);
    bytes[600] = bytes[600]! ^ 0xff; // inside the file's content, so the tar still parses
    writeFileSync(layer, bytes);
    await assert.rejects(readImage(`oci:${copy}:latest`), (e) => isGokilnError(e) && e.code === 'E_DIGEST');
    await assert.rejects(readImage(`oci:${copy}:nope`), (e) => isGokilnError(e) && e.code === 'E_NOT_FOUND');
  });

  test('garbage after a zstd magic is E_CORRUPT or E_TRUNCATED on every Node line (native zlib or the fzstd fallback), never misread as a tar', async () => {
    const z = join(dir, 'zstd');
    const raw = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(64)]);
    const ref = await writeLayout(z, { layers: [{ raw }] });
    await assert.rejects(readImage(ref), (e) => isGokilnError(e) && ['E_CORRUPT', 'E_TRUNCATED'].includes(e.code));
  });

  test('a path that is neither a directory nor a reference is E_NOT_FOUND, naming the forms that work', () => {
    return assert.rejects(readImage('./no/such/dir'), (e) => isGokilnError(e) && e.code === 'E_NOT_FOUND' && /oci:DIR/.test(e.message));
  });
});
