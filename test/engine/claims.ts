/** Shared by the lint-claims tests: lint findings by stage, the knowledge base's failure messages, a build per target. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { TestContext } from 'node:test';
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import { loadBuildContext } from '../../src/dockerfile/context.js';
import { knowledge } from '../../src/index.js';
import { haveEngine, type Engine } from '../harness/engine.js';
import { TODAY, needTool } from '../project/helpers.js';

export const BUILDER = 'golang:1.26-trixie';

/** Findings of `rule` by the stage (its FROM's `AS` name) they are on. */
export function findingsByStage(dir: string, text: string): Map<string, string[]> {
  const { context } = loadBuildContext(dir);
  const froms = [...text.split('\n').entries()].filter(([, l]) => /^FROM /.test(l)).map(([i, l]) => ({ line: i + 1, name: / AS (\S+)$/.exec(l)?.[1] ?? '' }));
  const out = new Map<string, string[]>();
  for (const f of lintDockerfile(text, { file: 'Dockerfile', context, today: TODAY })) {
    const stage = froms.filter((s) => s.line <= f.line).at(-1)?.name ?? '';
    out.set(stage, [...(out.get(stage) ?? []), `${f.rule}: ${f.message}`]);
  }
  return out;
}

/** The failure message the knowledge base (and the rules quoting it) claims, placeholders filled. */
export function claimed(id: string, vars: Record<string, string>): string {
  const m = knowledge.FAILURE_MESSAGES.find((x) => x.id === id);
  assert.ok(m, `no failure message ${id} in the knowledge base`);
  return m.text.replace(/\{(\w+)\}/g, (_x, k: string) => vars[k] ?? `{${k}}`);
}

export function rulesOn(m: Map<string, string[]>, stage: string): string[] {
  return [...new Set((m.get(stage) ?? []).map((x) => x.split(':')[0]!))].sort();
}

export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gokiln-engine-claims-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

export async function build(t: TestContext, e: Engine, dir: string, target: string): Promise<string> {
  const tag = `localhost/gokiln-claims/${target}`;
  const b = await e.build({ context: dir, tag, target, layers: true });
  assert.equal(b.exitCode, 0, `build --target ${target}:\n${b.stderr.slice(-3000)}`);
  t.diagnostic(`--target ${target} built in ${(b.ms / 1000).toFixed(1)} s`);
  return tag;
}

export function ready(t: TestContext): boolean {
  if (!haveEngine(t)) return false;
  for (const tool of ['mmdebstrap', 'go', 'openssl']) if (!needTool(tool)) {
    t.skip(`${tool} not installed`);
    return false;
  }
  return true;
}

