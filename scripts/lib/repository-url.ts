// Whether two git URLs name the same repository: Argo CD reads gitops.repoUrl, publish pushes to a
// git remote, and the two are often written in different forms (https and ssh, with or without
// .git, a user name, a port).

/** host/path of a git URL (lower case, no scheme, user, port, `.git` or slashes at the ends); the path alone for a local one. */
export function repositoryKey(url: string): string {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/:]+)(?::\d*)?(\/.*)?$/i.exec(trimmed);
  // scp-like ssh: [user@]host:path (no scheme; a colon before the first slash).
  const scp = scheme ? undefined : /^(?:[^@/]+@)?([^/:]+):(?!\/\/)(.*)$/.exec(trimmed);
  const [host, path] = scheme ? [scheme[2], scheme[3] ?? ""] : scp ? [scp[1], scp[2]] : ["", trimmed];
  const name = path
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "")
    .replace(/^\/+/, "");
  return `${host.toLowerCase()}/${name.toLowerCase()}`;
}

export function sameRepository(a: string, b: string): boolean {
  return repositoryKey(a) === repositoryKey(b);
}
