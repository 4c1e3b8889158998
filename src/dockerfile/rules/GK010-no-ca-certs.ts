import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';
import { copiesInto, imageChain, imageLabel, runtimeStages } from '../rule-helpers.js';

export const GK010: Rule = {
  id: 'GK010',
  severity: 'error',
  title: 'No CA certificates in a runtime whose program makes TLS connections',
  explanation:
    'scratch has no /etc/ssl/certs/ca-certificates.crt, so every HTTPS or TLS client call fails with "x509: certificate signed by unknown ' +
    'authority". gokiln reports this only when it read the Go sources in the build context and found TLS client use.',
  fix: 'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ (apk add ca-certificates in the builder), or use distroless/static.',
  check: ({ model }) => {
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
      });
    }
    return out;
  },
};
