// Types for node-lines.mjs, which tests import to find each Node line's binary.
export declare const NODE_LINES: Readonly<Record<string, string>>;
export declare function cacheDir(): string;
export declare function nodeFor(line: string): string;
