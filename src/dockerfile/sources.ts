/** What a program's Go sources reveal that a runtime image must provide: TLS roots, zoneinfo, profiling endpoints. Text in, facts out. */
import type { SourceFacts } from './model.js';

const TLS_HINTS: [RegExp, string][] = [
  [/"crypto\/tls"/, 'imports crypto/tls'],
  [/"https:\/\//, 'an https:// URL'],
  [/\bhttp\.(Get|Post|Head|PostForm|NewRequest(WithContext)?)\s*\(/, 'an HTTP client call'],
  [/\bhttp\.(DefaultClient|Client\s*\{)/, 'an http.Client'],
  [/"google\.golang\.org\/grpc\/credentials"/, 'gRPC TLS credentials'],
  [/"(cloud\.google\.com\/go|github\.com\/aws\/aws-sdk-go(-v2)?|github\.com\/Azure\/azure-sdk-for-go)[/"]/, 'a cloud SDK'],
];

export function scanGoSources(files: { path: string; text: string }[]): SourceFacts {
  const facts: SourceFacts = { usesTls: false, loadsTimeZones: false, embedsTzdata: false, importsPprof: false, importsExpvar: false };
  for (const { path, text } of files) {
    if (!facts.usesTls) {
      for (const [re, what] of TLS_HINTS) {
        if (re.test(text)) {
          facts.usesTls = true;
          facts.tlsEvidence = `${what} in ${path}`;
          break;
        }
      }
    }
    if (!facts.loadsTimeZones) {
      const m = /\btime\.LoadLocation\s*\(\s*([^)]*)\)/.exec(text);
      if (m && !/^"(UTC|Local|)"$/.test(m[1]!.trim())) {
        facts.loadsTimeZones = true;
        facts.zoneEvidence = `time.LoadLocation(${m[1]!.trim()}) in ${path}`;
        facts.zoneLiteral = /^"[^"]+"$/.test(m[1]!.trim());
      }
    }
    if (/"time\/tzdata"/.test(text)) facts.embedsTzdata = true;
    if (/"net\/http\/pprof"/.test(text)) facts.importsPprof = true;
    if (/"expvar"/.test(text)) facts.importsExpvar = true;
  }
  return facts;
}
