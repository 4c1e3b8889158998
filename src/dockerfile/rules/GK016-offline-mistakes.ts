import type { Rule } from '../rule.js';
import type { RawFinding } from '../types.js';

export const GK016: Rule = {
  id: 'GK016',
  severity: 'warning',
  title: 'Offline build mistakes: GOPROXY=direct, -mod=vendor without vendor/, GOSUMDB=off',
  explanation:
    'GOPROXY=direct does not make a build offline: it fetches every module from its VCS host instead of the proxy. Since Go 1.14 the go ' +
    'command uses vendor/ by default when vendor/modules.txt exists; -mod=vendor without a vendor directory fails. GOSUMDB=off turns off ' +
    'checksum verification of downloaded modules, which an offline build does not need.',
  fix: 'For offline builds vendor the modules (go mod vendor) and set GOFLAGS=-mod=vendor GOPROXY=off; keep GOSUMDB on; use GOPRIVATE/GONOSUMDB for private modules.',
  check: ({ model }) => {
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    const add = (line: number, key: string, f: RawFinding) => {
      if (seen.has(`${line}:${key}`)) return;
      seen.add(`${line}:${key}`);
      out.push(f);
    };
    for (const st of model.stages) {
      for (const { line, text } of st.rawEnv) {
        if (/\bGOPROXY[= ]["']?direct["']?(\s|$)/.test(text))
          add(line, 'proxy', { line, message: 'GOPROXY=direct fetches modules from their VCS hosts; it is not an offline switch' });
        if (/\bGOSUMDB[= ]["']?off["']?(\s|$)/.test(text))
          add(line, 'sumdb', { line, message: 'GOSUMDB=off disables checksum verification of downloaded modules' });
      }
      for (const g of st.goCommands) {
        const local = (n: string) => g.inlineNames.includes(n) || new RegExp(`\\b${n}=`).test(g.run.script);
        if (g.env.GOPROXY === 'direct' && local('GOPROXY'))
          add(g.line, 'proxy', {
            line: g.line,
            message: 'GOPROXY=direct fetches modules from their VCS hosts; it is not an offline switch',
          });
        if (g.env.GOSUMDB === 'off' && local('GOSUMDB'))
          add(g.line, 'sumdb', { line: g.line, message: 'GOSUMDB=off disables checksum verification of downloaded modules' });
        const vendorFlag = g.flags.get('mod') === 'vendor' || /(^|\s)-mod=vendor(\s|$)/.test(g.env.GOFLAGS ?? '');
        if (vendorFlag && model.context.goMod && model.context.hasVendor === false) {
          add(g.line, 'vendor', {
            line: g.line,
            severity: 'error',
            message: '-mod=vendor but the build context has no vendor/modules.txt: the build fails',
            fix: 'run go mod vendor and commit vendor/, or drop -mod=vendor',
          });
        }
      }
    }
    return out;
  },
};
