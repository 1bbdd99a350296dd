#!/bin/bash
# Peak RSS and time of `dedup check` on one huge file (issue 15, item 4).
#
#   bash benchmarks/bench_huge_doc.sh CODE_DIR LABEL FILE...
#
# CODE_DIR holds the `dedup` package to time (e.g. `git archive HEAD dedup | tar -x -C
# /tmp/new`); each run appends "LABEL FILE SECONDS s PEAK_KB KB exit CODE" and the load
# average to results.txt in the current folder. Make the files with
#   python benchmarks/make_huge_doc.py /tmp/huge/b40.md --mb 40     (.md, .html, .rst)
#   seq 10000000 | sed 's/^/word/' > /tmp/huge/w10m.txt
#   yes '' | head -n 10000000 > /tmp/huge/blank10m.txt
set -u
code=$1
label=$2
shift 2
for f in "$@"; do
    out=/tmp/huge-out-$label-$(basename "$f").json
    (
        ulimit -v 14000000 # 14 GB of address space at most
        PYTHONPATH=$code /usr/bin/time -f "$label $(basename "$f") %e s %M KB exit %x" \
            python -m dedup check "$f" -q -f json -o "$out"
    ) 2>&1 | tail -1 >>results.txt
    echo "load $(cut -d' ' -f1-3 /proc/loadavg)" >>results.txt
done
