import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import type { DockerfileModel, Stage } from '../model.js';
import { copiedBuilds, copiesInto, imageChain, imageLabel, runtimeStages } from '../rule-helpers.js';
import { feedingStages } from '../stage-graph.js';
import type { LintKnowledge } from '../knowledge-port.js';
import { defaultKnowledge } from '../knowledge-adapter.js';

const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const APT = 'apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*';
const APK = 'apk add --no-cache ca-certificates';

/** The package manager of a stage's image, by its family: apk on Alpine (and golang:*-alpine), apt-get on Debian and Ubuntu. */
function manager(s: Stage): 'apk' | 'apt' | null {
  const d =
    s.image.os?.distro ??
    (s.image.kind === 'alpine' ? 'alpine' : s.image.kind === 'debian' || s.image.kind === 'ubuntu' ? s.image.kind : undefined);
  return d === 'alpine' ? 'apk' : d === 'debian' || d === 'ubuntu' ? 'apt' : null;
}

/**
 * How this runtime gets a CA bundle, by its family and its builder's: a package manager installs it; an
 * image without one (scratch) copies the bundle from the builder, which golang and alpine images carry
 * and a Debian or Ubuntu builder gets with apt-get first; or distroless/static, which has it.
 */
function fixFor(model: DockerfileModel, rt: Stage, today: string, knowledge: LintKnowledge): string {
  const distroless = knowledge.recommended(today).distroless.staticNonroot;
  const own = manager(rt);
  if (own === 'apt') return `install them in the runtime stage: RUN ${APT}`;
  if (own === 'apk') return `install them in the runtime stage: RUN ${APK}`;
  const chain = new Set(imageChain(model, rt).map((s) => s.index));
  const builder = copiedBuilds(model, rt)[0]?.stage ?? feedingStages(model, rt).find((f) => !chain.has(f.stage.index))?.stage;
  if (!builder)
    return `COPY ${BUNDLE} into /etc/ssl/certs/ from a stage that has it (golang and alpine images do), or use ${distroless}, which has it`;
  const name = builder.name ?? String(builder.index);
  const copy = `COPY --from=${name} ${BUNDLE} /etc/ssl/certs/`;
  const has =
    builder.image.kind === 'golang' ||
    builder.image.caCerts === true ||
    imageChain(model, builder).some((s) => s.packages.has('ca-certificates'));
  if (has) return `${copy} (${imageLabel(builder)} has the bundle), or use ${distroless}, which has it`;
  const m = manager(builder);
  const install = m === 'apt' ? `RUN ${APT}` : m === 'apk' ? `RUN ${APK}` : 'install ca-certificates';
  return `${install} in the ${name} stage, then ${copy}; or use ${distroless}, which has it`;
}

export const GK010: Rule = {
  id: 'GK010',
  severity: 'error',
  title: 'No CA certificates in a runtime whose program makes TLS connections',
  explanation:
    'scratch has no /etc/ssl/certs/ca-certificates.crt, nor do the debian and ubuntu images before ca-certificates is installed, so every ' +
    'HTTPS or TLS client call fails with "x509: certificate signed by unknown authority". gokiln reports this only when it read the Go ' +
    'sources in the build context and found TLS client use.',
  fix:
    `On scratch, COPY --from=<builder> ${BUNDLE} /etc/ssl/certs/ (golang and alpine images have it; on a Debian or Ubuntu builder run ` +
    `apt-get install ca-certificates first); on a Debian or Ubuntu runtime, RUN ${APT}; on Alpine, RUN ${APK}; or use ` +
    `${defaultKnowledge.recommended().distroless.staticNonroot}, which has it.`,
  check: ({ model, knowledge, today }) => {
    const src = model.context.sources;
    if (!src?.usesTls) return [];
    const out: RawFinding[] = [];
    for (const rt of runtimeStages(model)) {
      if (rt.image.caCerts !== false) continue;
      if (copiesInto(model, rt, /ssl|ca-certificates|\/etc\/pki/)) continue;
      if (imageChain(model, rt).some((s) => s.env.SSL_CERT_FILE || s.env.SSL_CERT_DIR || s.packages.has('ca-certificates'))) continue;
      out.push({
        line: rt.baseLine,
        message: `${imageLabel(rt)} has no CA certificates, and the program makes TLS connections (${src.tlsEvidence ?? 'TLS client use'})`,
        fix: fixFor(model, rt, today, knowledge),
      });
    }
    return out;
  },
};
