// Preloaded into benchmarked node processes (NODE_OPTIONS=--require): on exit, appends the
// process's peak RSS in KiB to $BENCH_RSS_FILE, so the bench needs no /usr/bin/time.
"use strict";
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    require("node:fs").appendFileSync(file, `${process.pid} ${process.argv.slice(1).join(" ")}\t${process.resourceUsage().maxRSS}\n`);
  });
}
