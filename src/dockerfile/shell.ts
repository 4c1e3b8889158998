/**
 * A small POSIX-shell reader for RUN lines: enough to split `a && b; c | d`, heredoc bodies and line
 * continuations into simple commands with their words unquoted, their leading `VAR=x` assignments and the
 * line each command starts on. It does not evaluate anything; `$(…)` and `${…}` stay literal words.
 */

export interface SimpleCommand {
  /** words after assignments and wrappers (`env`, `sudo`, `exec`…), unquoted */
  words: string[];
  /** `VAR=x cmd` and `env VAR=x cmd` assignments */
  assignments: Record<string, string>;
  /** 0-based line in the script the command starts on */
  line: number;
}

interface Token {
  kind: 'word' | 'op';
  text: string;
  line: number;
}

/** Characters that end a word and form an operator on their own or doubled. */
const OP_CHARS = new Set([';', '&', '|', '(', ')', '\n']);

function tokenize(script: string): Token[] {
  const out: Token[] = [];
  let line = 0;
  let i = 0;
  let word = '';
  let inWord = false;
  let wordLine = 0;
  const flush = () => {
    if (inWord) out.push({ kind: 'word', text: word, line: wordLine });
    word = '';
    inWord = false;
  };
  const start = () => {
    if (!inWord) {
      inWord = true;
      wordLine = line;
    }
  };
  while (i < script.length) {
    const c = script[i]!;
    if (c === '\\') {
      const n = script[i + 1];
      if (n === '\n') {
        line++;
        i += 2;
        continue;
      }
      if (n === '\r' && script[i + 2] === '\n') {
        line++;
        i += 3;
        continue;
      }
      start();
      if (n !== undefined) word += n;
      i += 2;
      continue;
    }
    if (c === "'") {
      start();
      const end = script.indexOf("'", i + 1);
      const stop = end < 0 ? script.length : end;
      const body = script.slice(i + 1, stop);
      line += countNewlines(body);
      word += body;
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      start();
      i++;
      while (i < script.length && script[i] !== '"') {
        const d = script[i]!;
        if (d === '\\' && i + 1 < script.length) {
          const n = script[i + 1]!;
          if (n === '\n') {
            line++;
          } else if ('"\\$`'.includes(n)) {
            word += n;
          } else {
            word += d + n;
          }
          i += 2;
          continue;
        }
        if (d === '\n') line++;
        word += d;
        i++;
      }
      i++;
      continue;
    }
    if (c === '$' && script[i + 1] === '(') {
      // keep command substitutions as one literal word, balanced on parentheses
      start();
      let depth = 0;
      while (i < script.length) {
        const d = script[i]!;
        if (d === '(') depth++;
        if (d === ')') depth--;
        if (d === '\n') line++;
        word += d;
        i++;
        if (depth === 0) break;
      }
      continue;
    }
    if (c === '#' && !inWord) {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      i++;
      continue;
    }
    if (OP_CHARS.has(c)) {
      flush();
      const n = script[i + 1];
      const doubled = (c === '&' || c === '|' || c === ';') && n === c;
      out.push({ kind: 'op', text: doubled ? c + c : c, line });
      if (c === '\n') line++;
      i += doubled ? 2 : 1;
      continue;
    }
    if ((c === '<' || c === '>') && (!inWord || /^\d+$/.test(word))) {
      // redirections (`> f`, `2>&1`, `<<<`): skip the operator, an fd number before it and its target word
      word = '';
      inWord = false;
      i++;
      while (script[i] === '<' || script[i] === '>' || script[i] === '&' || script[i] === '-') i++;
      while (script[i] === ' ' || script[i] === '\t') i++;
      while (i < script.length && !/[\s;&|()]/.test(script[i]!)) i++;
      continue;
    }
    start();
    word += c;
    i++;
  }
  flush();
  return out;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
/** Words that only prefix the real command. */
const WRAPPERS = new Set([
  'sudo',
  'exec',
  'time',
  'nice',
  'nohup',
  'command',
  'then',
  'do',
  'else',
  'elif',
  'if',
  'while',
  'until',
  '!',
  '{',
  '}',
]);

/** Splits a shell script into simple commands; `sh -c '…'` bodies are split too. */
export function splitCommands(script: string, firstLine = 0): SimpleCommand[] {
  const tokens = tokenize(script);
  const out: SimpleCommand[] = [];
  let cur: Token[] = [];
  const end = () => {
    if (cur.length) for (const c of toCommands(cur, firstLine)) out.push(c);
    cur = [];
  };
  for (const t of tokens) {
    if (t.kind === 'op') end();
    else cur.push(t);
  }
  end();
  return out;
}

function toCommands(tokens: Token[], firstLine: number): SimpleCommand[] {
  const assignments: Record<string, string> = {};
  let k = 0;
  for (;;) {
    const t = tokens[k];
    if (!t) break;
    if (WRAPPERS.has(t.text)) {
      k++;
      continue;
    }
    if (t.text === 'env') {
      k++;
      while (tokens[k] && tokens[k]!.text.startsWith('-')) k++;
      continue;
    }
    const m = ASSIGNMENT.exec(t.text);
    if (m) {
      assignments[m[1]!] = m[2]!;
      k++;
      continue;
    }
    break;
  }
  const rest = tokens.slice(k);
  const line = firstLine + (rest[0]?.line ?? tokens[0]?.line ?? 0);
  const words = rest.map((t) => t.text);
  // `sh -c 'go build …'`: the body is what runs
  const prog = words[0];
  if ((prog === 'sh' || prog === 'bash' || prog === '/bin/sh' || prog === '/bin/bash' || prog === 'ash') && words.includes('-c')) {
    const body = words[words.indexOf('-c') + 1];
    if (body !== undefined) {
      return splitCommands(body, line).map((c) => ({ ...c, assignments: { ...assignments, ...c.assignments } }));
    }
  }
  return [{ words, assignments, line }];
}
