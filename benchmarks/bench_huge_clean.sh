#!/bin/bash
# Peak RSS and time of `dedup clean` or `dedup diff` (a patch) on one huge file (issue 15,
# item 4).
#
#   bash benchmarks/bench_huge_clean.sh CODE_DIR LABEL clean|diff FILE...
#
# CODE_DIR holds the `dedup` package to time (e.g. `git archive HEAD dedup | tar -x -C
# /tmp/new`); each run appends "LABEL COMMAND FILE SECONDS s PEAK_KB KB exit CODE" and the
# load average to results.txt in the current folder, and leaves its output beside it
# (out-LABEL-COMMAND-FILE, .notes.json, .patch) for `cmp` between labels. Make the files
# with
#   python benchmarks/make_huge_doc.py /tmp/huge/b100.md --mb 100     (.md, .txt, .html)
set -u
code=$1
label=$2
cmd=$3
shift 3
for f in "$@"; do
    base=$(basename "$f")
    out=out-$label-$cmd-$base
    (
        ulimit -v 20000000 # 20 GB of address space at most
        timer=(/usr/bin/time -f "$label $cmd $base %e s %M KB exit %x")
        if [ "$cmd" = clean ]; then
            PYTHONPATH=$code "${timer[@]}" python -m dedup clean "$f" -q -o "$out" \
                --notes "$out.notes.json"
        else
            PYTHONPATH=$code "${timer[@]}" python -m dedup diff "$f" -q -f unified >"$out.patch"
        fi
    ) 2>&1 | tail -1 >>results.txt
    echo "load $(cut -d' ' -f1-3 /proc/loadavg)" >>results.txt
done
