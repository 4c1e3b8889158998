/** The words of a fix, for the user's OS and shell. Only wording: the checks decide. */
import type { Machine } from './environment.js';

export function installGo(m: Machine, minor?: string): string {
  const v = minor ? ` (Go ${minor} or newer)` : '';
  switch (m.os) {
    case 'darwin':
      return `install Go${v}: brew install go, or the .pkg from https://go.dev/dl/`;
    case 'windows':
      return `install Go${v}: winget install GoLang.Go, or the .msi from https://go.dev/dl/`;
    default:
      return (
        `install Go${v} from https://go.dev/dl/: sudo rm -rf /usr/local/go && sudo tar -C /usr/local -xzf go*.linux-*.tar.gz, then ${addToPath(m, '/usr/local/go/bin')}` +
        (m.os === 'debian' ? ' (Debian/Ubuntu packages of golang-go are usually older than go.mod needs)' : '')
      );
  }
}

export function addToPath(m: Machine, dir: string): string {
  switch (m.shell) {
    case 'fish':
      return `fish_add_path ${dir}`;
    case 'zsh':
      return `echo 'export PATH="$PATH:${dir}"' >> ~/.zshrc && source ~/.zshrc`;
    case 'bash':
      return `echo 'export PATH="$PATH:${dir}"' >> ~/.bashrc && source ~/.bashrc`;
    case 'powershell':
      return `[Environment]::SetEnvironmentVariable('Path', $env:Path + ';${dir}', 'User')`;
    case 'cmd':
      return `setx PATH "%PATH%;${dir}"`;
    default:
      return `echo 'export PATH="$PATH:${dir}"' >> ~/.profile && . ~/.profile`;
  }
}

export function setEnv(m: Machine, key: string, value: string): string {
  switch (m.shell) {
    case 'fish':
      return `set -Ux ${key} ${value}`;
    case 'powershell':
      return `$env:${key} = '${value}'`;
    case 'cmd':
      return `setx ${key} ${value}`;
    default:
      return `export ${key}=${value}`;
  }
}

export function unsetEnv(m: Machine, key: string): string {
  switch (m.shell) {
    case 'fish':
      return `set -e ${key}`;
    case 'powershell':
      return `Remove-Item Env:${key}`;
    case 'cmd':
      return `set ${key}=`;
    default:
      return `unset ${key}`;
  }
}

/** Install system packages: `packages` maps OS family to package names. */
export function installPackages(m: Machine, what: string, packages: Partial<Record<Machine['os'], string[]>>): string {
  const p = packages[m.os];
  switch (m.os) {
    case 'debian':
      return `sudo apt-get install -y ${(p ?? [what]).join(' ')}`;
    case 'alpine':
      return `apk add ${(p ?? [what]).join(' ')}`;
    case 'fedora':
      return `sudo dnf install -y ${(p ?? [what]).join(' ')}`;
    case 'arch':
      return `sudo pacman -S ${(p ?? [what]).join(' ')}`;
    case 'suse':
      return `sudo zypper install ${(p ?? [what]).join(' ')}`;
    case 'darwin':
      return p ? `brew install ${p.join(' ')}` : `xcode-select --install (Command Line Tools provide ${what})`;
    case 'windows':
      return `install ${what} (MSYS2 mingw-w64 or TDM-GCC) and put it on PATH`;
    default:
      return `install ${what} with your package manager`;
  }
}
