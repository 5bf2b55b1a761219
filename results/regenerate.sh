#!/bin/sh
# Regenerates the README's Results tables and plots (MCNC-12 and EPFL-8) from scratch: every run
# again, ABC's figures included (needs berkeley-abc, yosys-abc or abc on PATH).
# On a 2-core machine: about 58 minutes (MCNC-12 306 s, EPFL-8 3176 s, measured 2026-11-29).
set -eu
cd "$(dirname "$0")/.."
cargo build --release
for suite in mcnc12 epfl8; do
    rm -f "results/$suite/runs.jsonl" # from scratch: an existing file would be resumed
    ./target/release/abcrl eval "$suite" --methods abcrl,mcts,policy,random,greedy,resyn2 \
        --seeds 1,2,3 --budget 100 --abc --out "results/$suite"
done
