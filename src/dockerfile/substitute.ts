/** Dockerfile variable substitution (`$A`, `${A}`, `${A:-x}`, `${A-x}`, `${A:+x}`, `${A+x}`), reporting what stayed unresolved. */

export type Lookup = (name: string) => string | undefined;

export interface Substituted {
  value: string;
  /** names referenced without a value */
  unresolved: string[];
}

const REF = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function substitute(text: string, lookup: Lookup): Substituted {
  const unresolved: string[] = [];
  const value = text.replace(
    REF,
    (_m, braced: string | undefined, op: string | undefined, word: string | undefined, plain: string | undefined) => {
      const name = (braced ?? plain)!;
      const v = lookup(name);
      const set = v !== undefined;
      const nonEmpty = set && v !== '';
      switch (op) {
        case ':-':
          return nonEmpty ? v! : substitute(word ?? '', lookup).value;
        case '-':
          return set ? v! : substitute(word ?? '', lookup).value;
        case ':+':
          return nonEmpty ? substitute(word ?? '', lookup).value : '';
        case '+':
          return set ? substitute(word ?? '', lookup).value : '';
        default:
          if (!set) unresolved.push(name);
          return v ?? '';
      }
    },
  );
  return { value, unresolved };
}
