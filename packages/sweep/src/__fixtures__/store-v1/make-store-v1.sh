#!/bin/sh
# Writes store-v1.sqlite: a store of schema version 1, as `rank-collapse sweep` wrote it before compression
# results had a table of their own (they were fields `compressedAccuracy[rank=K]`, … of the final layer rows).
# It was made at commit b0ee252 (the last one writing version 1) and is kept as it came out; the tests of the
# migration open a copy. Rerunning this script on a later commit writes the current schema instead.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
cd "$here/../../../../.." # the repo root
pnpm --silent --filter @rank-collapse/cli run rank-collapse sweep "$here/store-v1-sweep.yaml" --out "$out" --workers 1 --no-report --quiet >/dev/null
(cd packages/sweep && node -e "const D=require('better-sqlite3');const db=new D(process.argv[1]);db.pragma('journal_mode = DELETE');db.exec('VACUUM');db.close()" "$out/sweep.sqlite")
cp "$out/sweep.sqlite" "$here/store-v1.sqlite"
rm -rf "$out"
