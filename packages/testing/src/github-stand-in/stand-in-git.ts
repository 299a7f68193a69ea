import { execFileSync, spawnSync } from 'node:child_process';

const environment = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'GitHub',
  GIT_AUTHOR_EMAIL: 'noreply@github.com',
  GIT_COMMITTER_NAME: 'GitHub',
  GIT_COMMITTER_EMAIL: 'noreply@github.com',
};

/** The stand-in's storage: a bare repository that `git push` reaches through its path, as GitHub's would by URL. */
export class StandInGit {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', path], { env: environment });
  }

  private run(args: string[]): { ok: boolean; stdout: string } {
    const result = spawnSync('git', ['--git-dir', this.path, ...args], { encoding: 'utf8', env: environment });
    return { ok: result.status === 0, stdout: result.stdout };
  }

  /** The sha a ref (e.g. `heads/main`) points to. */
  refSha(ref: string): string | undefined {
    const result = this.run(['rev-parse', '--verify', '--quiet', `refs/${ref}^{commit}`]);
    return result.ok ? result.stdout.trim() : undefined;
  }

  /** Every ref under refs/, as [ref, sha]. */
  refs(): Array<[string, string]> {
    return this.run(['for-each-ref', '--format=%(refname) %(objectname)'])
      .stdout.split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split(' ') as [string, string]);
  }

  hasCommit(sha: string): boolean {
    return this.run(['cat-file', '-e', `${sha}^{commit}`]).ok;
  }

  setRef(ref: string, sha: string): void {
    this.run(['update-ref', `refs/${ref}`, sha]);
  }

  deleteRef(ref: string): void {
    this.run(['update-ref', '-d', `refs/${ref}`]);
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.run(['merge-base', '--is-ancestor', ancestor, descendant]).ok;
  }

  diff(base: string, head: string): string {
    return this.run(['diff', '--no-color', `refs/heads/${base}...refs/heads/${head}`]).stdout;
  }

  /** A merge commit of head into base, or undefined on conflict. Does not move any ref. */
  merge(baseSha: string, headSha: string, message: string): string | undefined {
    const tree = this.run(['merge-tree', '--write-tree', baseSha, headSha]);
    if (!tree.ok) return undefined;
    const treeSha = tree.stdout.split('\n')[0]?.trim() ?? '';
    return this.run(['commit-tree', treeSha, '-p', baseSha, '-p', headSha, '-m', message]).stdout.trim();
  }
}
