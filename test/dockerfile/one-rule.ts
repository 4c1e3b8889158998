/**
 * Lints with one rule only, for the rules-mutants tests: each imports the rule it is about from its own file
 * (so `npm run mutate` finds the test for that rule) and compares every finding, so an extra finding, a lost
 * one or an internal error (a GK000 finding for a rule that threw) fails the test.
 */
import { lintDockerfile } from '../../src/dockerfile/lint.js';
import type { Rule } from '../../src/dockerfile/rule.js';
import type { BuildContext } from '../../src/dockerfile/model.js';
import type { Finding } from '../../src/dockerfile/types.js';
import { parseGoMod } from '../../src/project/gomod.js';
import { scanGoSources } from '../../src/dockerfile/sources.js';

export const TODAY = '2026-11-26';

export function run(rule: Rule, df: string, context?: BuildContext, today = TODAY): Finding[] {
  return lintDockerfile(df, { file: 'Dockerfile', today, rules: [rule], ...(context ? { context } : {}) });
}

/** `rule@line severity` of every finding */
export function found(rule: Rule, df: string, context?: BuildContext): string[] {
  return run(rule, df, context).map((f) => `${f.rule}@${f.line} ${f.severity}`);
}

export const goMod = (text: string) => parseGoMod(text);
export const goSources = (files: Record<string, string>) => scanGoSources(Object.entries(files).map(([path, text]) => ({ path, text })));

/** a program that makes an HTTPS request (TLS client use) */
export const TLS: BuildContext = {
  sources: goSources({ 'main.go': 'package main\nimport "net/http"\nfunc main(){ http.Get("https://example.com") }' }),
};
/** a program with its own C code (import "C") */
export const USES_C: BuildContext = {
  goMod: goMod('module example.com/app\n\ngo 1.26\n'),
  sources: goSources({ 'main.go': 'package main\n// int one(void){return 1;}\nimport "C"\nfunc main(){ _ = C.one() }' }),
};
