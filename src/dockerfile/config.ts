/**
 * `.gokiln.yaml`, the `lint:` section: ignored rules, severity overrides, trusted registries, allowed
 * drift. The JSON Schema editors use is schemas/gokiln-config.schema.json; this reader checks the same
 * things by hand so the CLI needs no schema validator at run time.
 */
import { parseDocument, isMap, type Document } from 'yaml';
import { GokilnError } from '../errors.js';
import type { Severity } from './types.js';

export interface LintConfig {
  /** rule ids never reported */
  ignore: string[];
  /** rule id → severity to report it with, or `off` */
  severity: Record<string, Severity | 'off'>;
  /** registries base images may come from (`docker.io`, `gcr.io`, `cgr.dev`…); empty means any */
  trustedRegistries: string[];
  allowedDrift: {
    /** how many Alpine minor releases the runtime may differ from the builder's (GK001); default 0 */
    alpineMinor: number;
  };
  failureThreshold?: Severity;
}

export const DEFAULT_CONFIG: LintConfig = { ignore: [], severity: {}, trustedRegistries: [], allowedDrift: { alpineMinor: 0 } };

const RULE_ID = /^GK\d{3}$/;
const SEVERITIES = ['error', 'warning', 'info'];

/** Parses `.gokiln.yaml` text; every problem is an E_PARSE naming the file and line. */
export function parseLintConfig(text: string, file = '.gokiln.yaml'): LintConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new GokilnError(
      'E_PARSE',
      `${file}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      { file, line: e.linePos?.[0]?.line ?? 1 },
    );
  }
  const root = doc.toJS() as unknown;
  if (root === null || root === undefined) return structuredClone(DEFAULT_CONFIG);
  if (typeof root !== 'object' || Array.isArray(root)) throw bad(doc, text, file, [], 'the file must be a mapping');
  const lint = (root as Record<string, unknown>).lint;
  if (lint === undefined || lint === null) return structuredClone(DEFAULT_CONFIG);
  if (typeof lint !== 'object' || Array.isArray(lint)) throw bad(doc, text, file, ['lint'], '`lint` must be a mapping');
  const cfg = structuredClone(DEFAULT_CONFIG);
  for (const [key, value] of Object.entries(lint as Record<string, unknown>)) {
    const path = ['lint', key];
    switch (key) {
      case 'ignore':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && RULE_ID.test(v)))
          throw bad(doc, text, file, path, '`ignore` must be a list of rule ids like GK004');
        cfg.ignore = value as string[];
        break;
      case 'severity':
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          throw bad(doc, text, file, path, '`severity` must map rule ids to error, warning, info or off');
        for (const [id, sev] of Object.entries(value)) {
          if (!RULE_ID.test(id)) throw bad(doc, text, file, [...path, id], `not a rule id: ${id}`);
          if (typeof sev !== 'string' || ![...SEVERITIES, 'off'].includes(sev))
            throw bad(doc, text, file, [...path, id], `severity of ${id} must be error, warning, info or off`);
          cfg.severity[id] = sev as Severity | 'off';
        }
        break;
      case 'trustedRegistries':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length > 0))
          throw bad(doc, text, file, path, '`trustedRegistries` must be a list of registry hosts');
        cfg.trustedRegistries = value as string[];
        break;
      case 'allowedDrift': {
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          throw bad(doc, text, file, path, '`allowedDrift` must be a mapping');
        for (const [k, v] of Object.entries(value)) {
          if (k !== 'alpineMinor') throw bad(doc, text, file, [...path, k], `unknown key allowedDrift.${k} (known: alpineMinor)`);
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
            throw bad(doc, text, file, [...path, k], 'allowedDrift.alpineMinor must be a whole number >= 0');
          cfg.allowedDrift.alpineMinor = v;
        }
        break;
      }
      case 'failureThreshold':
        if (typeof value !== 'string' || !SEVERITIES.includes(value))
          throw bad(doc, text, file, path, '`failureThreshold` must be error, warning or info');
        cfg.failureThreshold = value as Severity;
        break;
      default:
        throw bad(
          doc,
          text,
          file,
          path,
          `unknown key lint.${key} (known: ignore, severity, trustedRegistries, allowedDrift, failureThreshold)`,
        );
    }
  }
  return cfg;
}

function bad(doc: Document, text: string, file: string, path: string[], msg: string): GokilnError {
  let line = 1;
  const node = path.length ? doc.getIn(path, true) : doc.contents;
  const pairNode = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  const range = (node as { range?: [number, number, number] } | undefined)?.range ?? (isMap(pairNode) ? pairNode.range : undefined);
  if (range) line = lineOf(text, range[0]);
  return new GokilnError('E_PARSE', `${file}:${line}: ${msg}`, { file, line });
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
