/**
 * The HTML treemap in headless Chromium: loads with no console error, its top-level boxes are the
 * binary's top modules from the report, hover shows the size, search highlights the package. Keeps
 * screenshots under test-results/.
 */
import { test, describe, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fixture } from '../fixtures/index.js';
import { sizeFile } from '../../src/analysis/size/analyze.js';
import { sizeHtml } from '../../src/report/html/size-html.js';
import { writeFileAtomic } from '../../src/io/write-file.js';
import type { SizeReport } from '../../src/analysis/size/types.js';
import { failInCiIfMissing } from '../truth/tools.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = resolve('test-results');

describe('size --html in Chromium', () => {
  let browser: Browser | null = null;
  let page: Page;
  let report: SizeReport;
  const errors: string[] = [];
  const requests: string[] = [];

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      failInCiIfMissing(CHROMIUM);
      return;
    }
    mkdirSync(OUT, { recursive: true });
    const r = sizeFile(fixture('lefthook-linux-x64'));
    report = r.report;
    const html = resolve(OUT, 'size-lefthook.html');
    writeFileAtomic(html, sizeHtml(r.report, r.detail), { force: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  });

  after(async () => {
    await browser?.close();
  });

  test('loads with no console error and fetches nothing', (t) => {
    if (!browser) return t.skip('no chromium');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:')),
      [],
    );
  });

  test('the largest top-level boxes are the top modules of the report, by area', async (t) => {
    if (!browser) return t.skip('no chromium');
    const boxes = await page.$$eval('#treemap > .cell', (els) =>
      els.map((e) => ({
        name: e.getAttribute('data-name') ?? '',
        area: e.getBoundingClientRect().width * e.getBoundingClientRect().height,
      })),
    );
    const total = boxes.reduce((a, b) => a + b.area, 0);
    const expected = [...report.modules.map((m) => ({ name: m.path, size: m.size })), { name: '(unattributed)', size: report.unattributed }]
      .sort((a, b) => b.size - a.size)
      .slice(0, 5);
    const byArea = [...boxes]
      .sort((a, b) => b.area - a.area)
      .slice(0, 5)
      .map((b) => b.name);
    assert.deepEqual(
      byArea,
      expected.map((e) => e.name.toLowerCase()),
    );
    // each box's share of the map is its share of the file (within a pixel-rounding tolerance)
    for (const e of expected) {
      const box = boxes.find((b) => b.name === e.name.toLowerCase())!;
      assert.ok(
        Math.abs(box.area / total - e.size / report.fileSize) < 0.01,
        `${e.name}: ${box.area / total} vs ${e.size / report.fileSize}`,
      );
    }
    await page.screenshot({ path: resolve(OUT, 'size-treemap.png') });
  });

  test('hover shows the package path and its size in bytes', async (t) => {
    if (!browser) return t.skip('no chromium');
    const pkg = report.packages.find((p) => !p.name.startsWith('<'))!;
    const cell = page.locator(`.cell[data-kind="package"][data-name="${pkg.name.toLowerCase()}"]`).first();
    await cell.hover({ position: { x: 5, y: 5 } });
    const tip = page.locator('#tip');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.innerText();
    assert.match(text, new RegExp(pkg.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    assert.match(text, new RegExp(`\\b${pkg.size} bytes`));
    await page.screenshot({ path: resolve(OUT, 'size-hover.png') });
  });

  test('search highlights the matching package and lists it', async (t) => {
    if (!browser) return t.skip('no chromium');
    const target = report.packages.find((p) => p.name.startsWith('github.com/') && p.size > 20_000) ?? report.packages[0]!;
    await page.fill('#search', target.name);
    const hit = await page.$$eval('.cell.hit', (els) => els.map((e) => e.getAttribute('data-name')));
    assert.ok(hit.includes(target.name.toLowerCase()), `${target.name} not highlighted (hits: ${hit.join(', ')})`);
    const missed = await page.$$eval(
      '.cell[data-kind="package"]:not(.hit)',
      (els, q) => els.filter((e) => (e.getAttribute('data-name') ?? '').includes(q)).length,
      target.name.toLowerCase(),
    );
    assert.equal(missed, 0);
    assert.match(await page.locator('#hits').innerText(), new RegExp(target.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    await page.screenshot({ path: resolve(OUT, 'size-search.png') });
    await page.fill('#search', '');
    assert.equal(await page.locator('.cell.hit').count(), 0);
  });

  test('the section table lists every section with file bytes', async (t) => {
    if (!browser) return t.skip('no chromium');
    const rows = await page.$$eval('#sections tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    const listed = report.sections.filter((s) => s.fileSize > 0 || s.memSize > 0);
    assert.equal(rows.length, listed.length);
    for (const s of listed)
      assert.ok(
        rows.some((r) => r[0] === s.name && r[1] === String(s.fileSize)),
        s.name,
      );
  });
});
