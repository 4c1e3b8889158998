/**
 * planProject, sizeBinaries and inspectBinaries (src/tasks) called as a library: each equals the lower
 * functions it combines on the same input, errors are typed and name their input, nothing is printed.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { buildPlan, diffSize, inspectBinaries, inspectFiles, planProject, scanProject, sizeBinaries, sizeFile } from '../../src/index.js';
import { exampleDir, needTool } from '../project/helpers.js';
import { fixture } from '../fixtures/index.js';
import { scratchDir } from '../harness/scratch.js';
import { codeOf, silent } from './quiet.js';

process.env.GOTOOLCHAIN = 'local';

describe('planProject', { skip: needTool('go') ? false : 'go not installed' }, () => {
  test('the plan of scanProject + buildPlan, with go list, or the sources only (go: null); dir as given', async () => {
    const dir = exampleDir('sqlite-cgo');
    const today = '2026-11-26';
    const plan = await silent(() => planProject(dir, { today }));
    const expected = buildPlan(scanProject(resolve(dir)), { today });
    assert.equal(plan.dir, dir);
    assert.deepEqual({ ...plan, dir: '' }, { ...expected, dir: '' });
    assert.equal(plan.scan.method, 'go-list');
    const sources = await silent(() => planProject(dir, { go: null, today }));
    assert.equal(sources.scan.method, 'source-scan');
    // the one cgo answer: go list and the source reader agree on this module
    assert.equal(sources.recommended.paradigm, plan.recommended.paradigm);
    assert.ok(plan.binaries.every((b) => b.cgo.required));
  });

  test('binary selection, and bad projects as typed errors', async () => {
    const dir = exampleDir('multi-cmd');
    const all = await silent(() => planProject(dir, { allBinaries: true }));
    const one = all.binaries[0]!.binary;
    const picked = await silent(() => planProject(dir, { binaries: [one] }));
    assert.deepEqual(
      picked.binaries.filter((b) => b.selected).map((b) => b.binary),
      [one],
    );
    assert.equal(await codeOf(() => planProject(dir, { binaries: ['no-such-command'] })), 'E_USAGE');
    assert.equal(await codeOf(() => planProject(join(dir, 'missing'))), 'E_NOT_FOUND');
    assert.equal(await codeOf(() => planProject(join(dir, 'go.mod'))), 'E_NOT_DIRECTORY');
    assert.equal(await codeOf(() => planProject(scratchDir('gk-plan-empty-'))), 'E_NOT_FOUND');
  });
});

describe('sizeBinaries', () => {
  test("one binary is sizeFile's report; two are diffSize's; rows add up to the file", async () => {
    const a = fixture('static');
    const b = fixture('cgo-glibc');
    const one = await silent(() => sizeBinaries(a));
    assert.equal(one.kind, 'single');
    if (one.kind !== 'single') return;
    assert.deepEqual(one.report, sizeFile(a).report);
    assert.equal(one.report.packages.reduce((t, p) => t + p.size, 0) + one.report.unattributed, one.report.fileSize);
    const two = await silent(() => sizeBinaries(a, b));
    assert.equal(two.kind, 'diff');
    if (two.kind !== 'diff') return;
    assert.deepEqual(two.diff, diffSize(sizeFile(a).report, sizeFile(b).report));
  });

  test('an error names the file it is about, old or new', async () => {
    const dir = scratchDir('gk-size-');
    const missing = join(dir, 'missing');
    for (const [args, file] of [
      [[missing], missing],
      [[fixture('static'), missing], missing],
      [[dir], dir],
    ] as const) {
      try {
        await silent(() => sizeBinaries(args[0], args[1]));
        assert.fail('expected an error');
      } catch (e) {
        const err = e as { code: string; message: string; details: { file?: string } };
        assert.equal(err.details.file, file);
        // led by the path, once (the reader's own message may already start with it)
        assert.ok(err.message.startsWith(file), err.message);
        assert.ok(!err.message.startsWith(`${file}: ${file}`), err.message);
        assert.equal(err.code, file === dir ? 'E_IS_DIRECTORY' : 'E_NOT_FOUND');
      }
    }
  });
});

describe('inspectBinaries', () => {
  test("with runtime names it is inspectFiles; a root file system named is judged by verify's checks in it", async () => {
    const files = [fixture('static'), fixture('cgo-glibc')];
    const byName = await silent(() => inspectBinaries(files, { runtimes: ['scratch'], jobs: 1 }));
    assert.deepEqual(byName, await inspectFiles(files, { runtimes: ['scratch'], jobs: 1 }));
    // a real image: an empty directory as the root file system. It has no loader, so the cgo binary cannot
    // start; nor CA certificates, which verify's checks require of a binary that verifies TLS (hello does)
    const root = scratchDir('gk-inspect-root-');
    const inImage = await silent(() => inspectBinaries(files, { runtimes: [root], jobs: 1 }));
    const verdicts = (rs: typeof byName) =>
      rs.map((r) => ('error' in r ? 'error' : r.runtimes.map((v) => `${v.name} ${v.verdict} ${v.reason}`).join(',')));
    assert.deepEqual(verdicts(byName), ['scratch runs ok', 'scratch fails no-interpreter']);
    assert.deepEqual(verdicts(inImage), [`${root} fails ca-certs`, `${root} fails no-interpreter`]);
  });

  test('usage errors before any work; an unreadable file is a result, not an exception', async () => {
    assert.equal(await codeOf(() => inspectBinaries([])), 'E_USAGE');
    assert.equal(await codeOf(() => inspectBinaries([fixture('static')], { runtimes: ['windows:95'] })), 'E_USAGE');
    // the path every predicted message names (exec /app: …) is absolute or nothing, for named runtimes as for images
    for (const pathInImage of ['', 'app', './app'])
      assert.equal(
        await codeOf(() => inspectBinaries([fixture('static')], { runtimes: ['scratch'], pathInImage })),
        'E_USAGE',
        pathInImage,
      );
    const [ok] = await silent(() => inspectBinaries([fixture('cgo-glibc')], { runtimes: ['scratch'], pathInImage: '/srv/app', jobs: 1 }));
    assert.ok(ok && !('error' in ok));
    assert.match(ok.runtimes[0]!.message ?? '', /^exec \/srv\/app: no such file or directory/);
    const missing = join(scratchDir('gk-inspect-'), 'missing');
    const [r] = await silent(() => inspectBinaries([missing], { jobs: 1 }));
    assert.ok(r && 'error' in r);
    assert.equal(r.error.code, 'E_NOT_FOUND');
  });
});
