/**
 * Finds and reads lint's configuration file: the one named, else `.gokiln.yaml` (or `.gokiln.yml`) in the
 * working directory when present, else the defaults. config.ts parses the text; this is its file-system side.
 */
import { existsSync } from 'node:fs';
import { GokilnError, isGokilnError } from '../errors.js';
import { readTextFile } from '../io/fs-errors.js';
import { DEFAULT_CONFIG, parseLintConfig, type LintConfig } from './config.js';

/** The names looked for in the working directory when no file is named, in order. */
export const CONFIG_NAMES = ['.gokiln.yaml', '.gokiln.yml'] as const;

/** The config file to read: the one given, else the first of CONFIG_NAMES that exists; undefined for none. */
export function findLintConfig(file?: string): string | undefined {
  return file ?? CONFIG_NAMES.find((n) => existsSync(n));
}

/** Reads and checks the config (E_PARSE with file and line; a read error says it was the config); defaults without one. */
export function loadLintConfig(file?: string): LintConfig {
  const path = findLintConfig(file);
  if (path === undefined) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = readTextFile(path);
  } catch (e) {
    if (!isGokilnError(e)) throw e;
    throw new GokilnError(e.code, `config ${e.message}`, e.details);
  }
  return parseLintConfig(text, path);
}
