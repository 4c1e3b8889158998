/**
 * The import-boundary rule `gokiln/layers` (scripts/eslint-layers.mjs), run through ESLint itself on
 * small sources placed at paths under src/: downward imports pass, upward and sideways ones are reported
 * with the layer order, in every import form. `npm run lint` applies it to the whole tree.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const layers = (await import(new URL('../../../scripts/eslint-layers.mjs', import.meta.url).href)) as { default: ESLint.Plugin };

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser as never, sourceType: 'module' },
      plugins: { gokiln: layers.default },
      rules: { 'gokiln/layers': 'error' },
    },
  ],
});

async function messages(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: file });
  return r!.messages.map((m) => m.message);
}

describe('gokiln/layers', () => {
  const allowed: Array<[string, string]> = [
    ['src/cli/x.ts', "import { toJson } from '../report/style.js';"],
    ['src/cli/x.ts', "import { GokilnError } from '../errors.js';"],
    ['src/report/x.ts', "import type { Plan } from '../project/plan.js';"],
    ['src/report/x.ts', "import { toJson } from './style.js';"],
    ['src/analysis/size/x.ts', "import { parseElf } from '../../formats/elf/index.js';"],
    ['src/image/x.ts', "import { FileSource } from '../io/file-source.js';"],
    ['src/build/x.ts', "import { x } from '../gosrc/model.js';"],
    ['src/verify/x.ts', "import { x } from '../knowledge/libc.js';"],
    ['src/gosrc/x.ts', "import { x } from '../formats/go/index.js';"],
    ['src/knowledge/x.ts', "import { VERSION } from '../version.js';"],
    ['src/index.ts', "export { inspectFile } from './analysis/inspect.js';"],
    ['src/index.ts', "export { lintSarif } from './report/lint-sarif.js';"],
    ['src/x.ts', "import pc from 'picocolors';"],
  ];
  for (const [file, code] of allowed) {
    test(`allowed: ${file}: ${code}`, async () => assert.deepEqual(await messages(file, code), []));
  }

  const refused: Array<[string, string, RegExp]> = [
    [
      'src/report/inspect-text.ts',
      "import type { Colors } from '../cli/output.js';",
      /src\/report may not import src\/cli \(a higher layer\)/,
    ],
    [
      'src/analysis/x.ts',
      "import { lint } from '../dockerfile/lint.js';",
      /src\/analysis may not import src\/dockerfile \(a higher layer\)/,
    ],
    ['src/image/x.ts', "export * from '../verify/x.js';", /src\/image may not import src\/verify/],
    [
      'src/project/x.ts',
      "const m = await import('../generate/dockerfile.js');",
      /src\/project may not import src\/generate \(a higher layer\)/,
    ],
    ['src/knowledge/x.ts', "export { scan } from '../project/scan.js';", /src\/knowledge may not import src\/project/],
    ['src/gosrc/x.ts', "import { scanProject } from '../project/scan.js';", /src\/gosrc may not import src\/project \(a higher layer\)/],
    [
      'src/image/x.ts',
      "import { inspectFile } from '../analysis/inspect.js';",
      /src\/image may not import src\/analysis \(a higher layer\)/,
    ],
    ['src/io/x.ts', "import { gosrc } from '../gosrc/index.js';", /same layer/],
    ['src/errors.ts', "import { RUNTIMES } from './knowledge/runtimes.js';", /src\/errors\.ts may not import src\/knowledge/],
    ['src/index.ts', "export { main } from './cli/main.js';", /src\/index\.ts may not import src\/cli/],
    ['src/newthing/x.ts', "import { GokilnError } from '../errors.js';", /src\/newthing is in no layer: add it to LAYERS/],
  ];
  for (const [file, code, message] of refused) {
    test(`refused: ${file}: ${code}`, async () => {
      const got = await messages(file, code);
      assert.equal(got.length, 1, got.join('\n'));
      assert.match(got[0]!, message);
      if (!/in no layer/.test(got[0]!))
        assert.match(
          got[0]!,
          /imports run downward only: cli → index\.ts → report → tasks → dockerfile \| generate \| doctor \| verify \| build → analysis → image → project → gosrc \| io → formats \| knowledge → errors\.ts/,
        );
    });
  }

  test('files outside src/ are not judged', async () => {
    assert.deepEqual(await messages('test/cli/x.ts', "import { main } from '../../src/cli/main.js';"), []);
  });
});
