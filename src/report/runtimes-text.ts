/** `gokiln inspect --list-runtimes`: every runtime `-r` accepts with its other spellings; `*` marks the default set. */
import type { RuntimeListing } from '../knowledge/runtimes.js';

export function runtimesText(list: readonly RuntimeListing[]): string {
  const width = Math.max(...list.map((r) => r.name.length));
  const lines = list.map((r) =>
    `${r.default ? '*' : ' '} ${r.name.padEnd(width)}  ${r.spellings.filter((x) => x !== r.name).join(', ')}`.trimEnd(),
  );
  return `${lines.join('\n')}\n\n* judged when no --runtime is given; also accepted: a docker.io/library/ or gcr.io/ prefix, an @digest, a patch release (alpine:3.22.1)\n`;
}
