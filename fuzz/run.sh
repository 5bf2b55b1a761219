#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 300) with memory and time limits, seeded from
# fuzz/seeds/<target>. Crashes land in fuzz/artifacts/<target>/. Needs nightly and cargo-fuzz.
set -u
cd "$(dirname "$0")"
secs=${1:-300}
for t in aiger_binary aiger_ascii blif bench; do
  case $t in aiger_*) d=aiger;; *) d=$t;; esac
  mkdir -p corpus/$t artifacts/$t
  cargo +nightly fuzz run -O $t corpus/$t seeds/$t -- \
    -max_total_time=$secs -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 \
    -dict=dict/$d.dict -print_final_stats=1 2>&1 | tail -20
done
