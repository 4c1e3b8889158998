/** Questions several rules ask of the model: which stages ship, which builds reach them. */
import type { DockerfileModel, Stage } from './model.js';
import { buildsReaching } from './stage-graph.js';

/**
 * Stages that end up as an image someone runs: the final stage, and other stages no later stage builds
 * on (FROM), copies from or mounts, when they take files from another stage and are not golang-based
 * (alternative `--target`s such as `debug`). Intermediate stages (`certs`, `upx`) and test or lint
 * targets built on the builder are not runtimes.
 */
export function runtimeStages(model: DockerfileModel): Stage[] {
  const used = new Set<number>();
  for (const s of model.stages) {
    if (s.parentStage !== undefined) used.add(s.parentStage);
    for (const c of s.copies) if (c.fromStage !== undefined && c.fromStage !== s.index) used.add(c.fromStage);
    for (const r of s.runs) for (const m of r.mounts) if (m.fromStage !== undefined) used.add(m.fromStage);
  }
  return model.stages.filter((s) => {
    if (s.isFinal) return true;
    if (used.has(s.index) || s.image.kind === 'golang') return false;
    return s.copies.some((c) => c.fromStage !== undefined);
  });
}

/** A stage and its FROM ancestors: the layers that make up its image. */
export function imageChain(model: DockerfileModel, stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | undefined = stage; s; s = s.parentStage !== undefined ? model.stages[s.parentStage] : undefined) out.push(s);
  return out;
}

/** Go builds copied into a runtime stage from another stage (not those built in the runtime itself). */
export function copiedBuilds(model: DockerfileModel, runtime: Stage) {
  const chain = new Set(imageChain(model, runtime).map((s) => s.index));
  return buildsReaching(model, runtime).filter((b) => !chain.has(b.stage.index) || b.copy !== undefined);
}

export function describeBase(stage: Stage): string {
  return stage.base ? stage.base.raw : stage.fromResolved || stage.fromRaw;
}

/** The `image:tag` a stage is based on, for messages, e.g. `golang:1.23-alpine3.20`. */
export function imageLabel(stage: Stage): string {
  return stage.base?.raw ?? stage.fromResolved;
}

/** True when an instruction of `stage` (not of an ancestor) sits on this line. */
export function ownLine(stage: Stage, line: number): boolean {
  // inherited instructions come from earlier stages, which sit above this stage's FROM
  return line > stage.line;
}

/** Does the image (or a COPY into it) provide the given path prefix? */
export function copiesInto(model: DockerfileModel, stage: Stage, re: RegExp): boolean {
  return imageChain(model, stage).some((s) => s.copies.some((c) => re.test(c.dest) || c.sources.some((src) => re.test(src))));
}
