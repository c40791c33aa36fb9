// Publish compares the remote it pushes to with the repository Argo CD reads (gitops.repoUrl).
import { sameRepository } from "../scripts/lib/repository-url";

it.each([
  ["https://github.com/alexandrekm/k3s-home-lab.git", "git@github.com:alexandrekm/k3s-home-lab.git"],
  ["https://github.com/alexandrekm/k3s-home-lab.git", "https://github.com/alexandrekm/k3s-home-lab"],
  ["https://github.com/Owner/Lab", "ssh://git@github.com:22/owner/lab.git/"],
  ["https://x-access-token@github.com/o/r.git", "git@GitHub.com:o/r"],
  ["git@gitlab.example.org:group/sub/lab.git", "https://gitlab.example.org/group/sub/lab"],
])("%s and %s are the same repository", (a, b) => {
  expect(sameRepository(a, b)).toBe(true);
});

it.each([
  ["https://github.com/alexandrekm/k3s-home-lab.git", "git@github.com:someone/k3s-home-lab.git"],
  ["https://github.com/o/lab.git", "https://gitlab.com/o/lab.git"],
  ["https://github.com/o/lab.git", "https://github.com/o/lab-rendered.git"],
  ["git@github.com:o/lab.git", "/srv/git/o/lab.git"],
])("%s and %s are different repositories", (a, b) => {
  expect(sameRepository(a, b)).toBe(false);
});
