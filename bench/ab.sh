#!/bin/bash
# Two briefing binaries timed alternately on the benchmark's 10,000-page sites (made by
# bench/run.sh under /dev/shm/briefing-bench/): wall time, CPU time (user+sys) and peak RSS
# of each build, one line per run, after one untimed build of each.
#
#   BASE=old/briefing NEW=target/release/briefing RUNS=5 bench/ab.sh
#
# SITES (default "plain-10000 briefing-10000") names the site folders to use.
set -u
: "${BASE:?set BASE to the first binary}" "${NEW:?set NEW to the second binary}"
dir=${BRIEFING_BENCH_DIR:-/dev/shm/briefing-bench}
runs=${RUNS:-5}
for site in ${SITES:-plain-10000 briefing-10000}; do
  for bin in BASE NEW; do "${!bin}" build -q -r "$dir/$site" -o "$dir/ab-$bin-$site" >/dev/null 2>&1; done
  for run in $(seq "$runs"); do
    for bin in BASE NEW; do
      load=$(cut -d' ' -f1 /proc/loadavg)
      t0=$EPOCHREALTIME
      /usr/bin/time -f '%U %S %M' -o "$dir/ab-time" "${!bin}" build -q -r "$dir/$site" -o "$dir/ab-$bin-$site" >/dev/null 2>&1 || echo "FAIL $bin $site"
      t1=$EPOCHREALTIME
      read -r u s m < <(tail -1 "$dir/ab-time")
      printf '%s\t%s\t%s\twall %.3f\tcpu %.2f\trss_kb %s\tload %s\n' "$site" "$bin" "$run" \
        "$(awk "BEGIN{print ${t1}-${t0}}")" "$(awk "BEGIN{print $u+$s}")" "$m" "$load"
    done
  done
  rm -rf "$dir/ab-BASE-$site" "$dir/ab-NEW-$site"
done
