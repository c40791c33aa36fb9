// What publish reads of a clone in two git processes (scripts/lib/rendered-branch.ts readCloneRefs):
// remotes by their configured URL, dotted names included, and exactly the three refs a rendered
// branch's name could be, never a ref below one of them.
import { join } from "node:path";
import { Git } from "../scripts/lib/git";
import { readCloneRefs } from "../scripts/lib/rendered-branch";
import { git } from "./helpers/lab-repo";
import { scratch } from "./helpers/tree";

it("reads remotes by their configured URL (dotted names too) and only the exact refs of the name", () => {
  const repo = join(scratch("clone-refs"), "repo");
  git(join(repo, ".."), "init", "-q", "-b", "main", repo);
  git(repo, "-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "one");
  git(repo, "remote", "add", "my.fork", "https://git.example.com/me/lab.git");
  git(repo, "config", "url./nowhere.insteadOf", "https://git.example.com/");
  git(repo, "branch", "rendered/old");
  git(repo, "update-ref", "refs/remotes/my.fork/rendered/x", "HEAD");
  const head = git(repo, "rev-parse", "HEAD");
  expect(readCloneRefs(new Git(repo), "rendered", "my.fork")).toEqual({
    remotes: new Map([["my.fork", "https://git.example.com/me/lab.git"]]),
    tag: undefined,
    local: undefined,
    tracking: undefined,
  });
  git(repo, "branch", "-m", "rendered/old", "elsewhere");
  git(repo, "branch", "rendered");
  git(repo, "tag", "rendered");
  git(repo, "update-ref", "-d", "refs/remotes/my.fork/rendered/x");
  git(repo, "update-ref", "refs/remotes/my.fork/rendered", "HEAD");
  expect(readCloneRefs(new Git(repo), "rendered", "my.fork")).toMatchObject({ tag: head, local: head, tracking: head });
  expect(readCloneRefs(new Git(join(repo)), "rendered", "origin").remotes.has("origin")).toBe(false);
});
