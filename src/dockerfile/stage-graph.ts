/** Questions about the stage graph: which stages feed a stage, which Go builds reach it. */
import type { CopyStep, DockerfileModel, GoInvocation, Stage } from './model.js';
import { goWrites } from './write-paths.js';

/** A FROM or --from naming an earlier stage, by name (case-insensitive) or index. */
export function findStage(stages: Stage[], ref: string): Stage | undefined {
  const lower = ref.toLowerCase();
  for (let i = stages.length - 1; i >= 0; i--) if (stages[i]!.name?.toLowerCase() === lower) return stages[i];
  if (/^\d+$/.test(ref)) return stages[Number(ref)];
  return undefined;
}

/** Stages whose files reach `target` through COPY --from (transitively) or by being its FROM ancestors. */
export function feedingStages(model: DockerfileModel, target: Stage): { stage: Stage; copy?: CopyStep }[] {
  const out: { stage: Stage; copy?: CopyStep }[] = [];
  const seen = new Set<number>();
  const visit = (s: Stage, copy: CopyStep | undefined) => {
    if (seen.has(s.index)) return;
    seen.add(s.index);
    out.push(copy ? { stage: s, copy } : { stage: s });
    if (s.parentStage !== undefined) visit(model.stages[s.parentStage]!, copy);
    for (const c of s.copies) if (c.fromStage !== undefined && c.fromStage !== s.index) visit(model.stages[c.fromStage]!, copy ?? c);
  };
  visit(target, undefined);
  return out;
}

/**
 * Go builds whose output is copied into `target` (or built in it), matched by path when both are known.
 * A stage is visited once per COPY that reaches it, not once in all: `COPY --from=build /etc/ssl/certs …`
 * before `COPY --from=build /app /app` must not hide the build behind the first copy. Each build is
 * listed once, with the first copy that takes it.
 */
export function buildsReaching(model: DockerfileModel, target: Stage): { inv: GoInvocation; stage: Stage; copy?: CopyStep }[] {
  const out: { inv: GoInvocation; stage: Stage; copy?: CopyStep }[] = [];
  const listed = new Set<GoInvocation>();
  const add = (inv: GoInvocation, stage: Stage, copy: CopyStep | undefined) => {
    if (listed.has(inv)) return;
    listed.add(inv);
    out.push(copy ? { inv, stage, copy } : { inv, stage });
  };
  const visited = new Map<number, Set<CopyStep | undefined>>();
  const visitStage = (s: Stage, copy: CopyStep | undefined) => {
    const via = visited.get(s.index) ?? new Set<CopyStep | undefined>();
    if (via.has(copy)) return;
    via.add(copy);
    visited.set(s.index, via);
    for (const inv of s.goCommands) {
      if (inv.sub !== 'build' && inv.sub !== 'install') continue;
      if (copy && !copyTakes(copy, inv)) continue;
      add(inv, s, copy);
    }
    if (s.parentStage !== undefined) visitStage(model.stages[s.parentStage]!, copy);
    for (const c of s.copies) if (c.fromStage !== undefined) visitStage(model.stages[c.fromStage]!, copy ?? c);
  };
  for (const c of target.copies) if (c.fromStage !== undefined && c.fromStage !== target.index) visitStage(model.stages[c.fromStage]!, c);
  // a single-stage build, or a final stage built FROM the builder
  const ownChain: Stage[] = [];
  for (let s: Stage | undefined = target; s; s = s.parentStage !== undefined ? model.stages[s.parentStage] : undefined) ownChain.push(s);
  for (const s of ownChain) {
    for (const inv of s.goCommands) if (inv.sub === 'build' || inv.sub === 'install') add(inv, s, undefined);
  }
  return out;
}

function copyTakes(copy: CopyStep, inv: GoInvocation): boolean {
  for (const src of copy.sources) {
    if (/[*?[]/.test(src)) return true;
    const p = src.startsWith('/') ? src.replace(/\/+$/, '') : '/' + src.replace(/^\.\//, '').replace(/\/+$/, '');
    // a directory the build writes into (go install of several commands, -o dir/) holds the copied file
    if (p === '' || p === '/' || goWrites(inv, p)) return true;
  }
  return false;
}
