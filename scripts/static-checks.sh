#!/bin/sh
# `npm test`'s first step: the type check and the linters side by side. Neither waits on the other
# and each keeps one core busy, so both take the time of the longer. Both always finish and print;
# the step fails if either did.
npm run -s typecheck &
typecheck=$!
npm run -s lint
lint=$?
wait "$typecheck"
typecheck=$?
[ "$typecheck" -eq 0 ] && [ "$lint" -eq 0 ]
