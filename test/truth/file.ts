/** file(1) as an independent truth for what a file is: its one-line description. */
import { runTool } from './tools.js';

/** `file -b PATH`: the description without the file name. */
export function fileBrief(path: string): string {
  return runTool('file', ['-b', path]);
}
