# Sourced by scripts/bench/grad and scripts/bench/io: how they run and measure relugrad and its peers. Reads root (the
# project's folder), python (the Python with NumPy) and, when a function runs, wait_quiet (--wait-quiet's PCT, or
# empty).
#
# Exports SPARK_LOCAL_IP for relugrad; sets me (bench/ and the sourcing script's name, which its messages start with),
# peer_env (the env command the peers run under), jemalloc (the allocator it preloads where the machine has it),
# peer_env_note and rg_env_note (those environments, for the header); defines busy, disturbed, load, peak_rss,
# again_if_disturbed, check_wait_quiet, machine_line, numpy_info and build.

# relugrad runs in this environment (the launcher adds OPENBLAS_NUM_THREADS=1); the peers at their best:
# OpenBLAS's own core detection and cache sizes, jemalloc, their default threads.
export SPARK_LOCAL_IP=127.0.0.1
peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
jemalloc=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [[ -e "$jemalloc" ]]; then
  peer_env+=("LD_PRELOAD=$jemalloc${LD_PRELOAD:+:$LD_PRELOAD}")
fi
peer_env_note="OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset;"
peer_env_note+=" LD_PRELOAD=$([[ -e "$jemalloc" ]] && echo "$jemalloc" || echo "(no jemalloc found)")"
rg_env_note="OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-(unset)}"
me="bench/${0##*/}"

# How busy all CPUs were over the last 2 seconds, in percent (from /proc/stat).
busy() {
  local a b
  read -r -a a < <(head -n 1 /proc/stat)
  sleep 2
  read -r -a b < <(head -n 1 /proc/stat)
  local total=0 idle i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  idle=$((b[4] - a[4] + b[5] - a[5]))
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

# Whether others took PCT % (--wait-quiet) or more of the CPUs while a command ran (its peak_rss.py record).
disturbed() {
  [[ -n "$wait_quiet" ]] && "$python" -c \
    'import json, sys; sys.exit(json.load(open(sys.argv[1]))["othersBusy"] * 100 < float(sys.argv[2]))' \
    "$1" "$wait_quiet"
}

# The machine's state just before a measured command: "load1 busy%", after waiting for quiet if asked to.
load() {
  local pct waited=0
  pct="$(busy)"
  while [[ -n "$wait_quiet" ]] && ((pct >= wait_quiet && waited < 600)); do
    sleep 8
    waited=$((waited + 10))
    pct="$(busy)"
  done
  echo "$(cut -d' ' -f1 /proc/loadavg) $pct%"
}

# peak_rss RECORD COMMAND...: runs the command, writing the peak resident memory of its process tree, its wall
# seconds and how busy others kept the CPUs to RECORD (JSON); exits with the command's status.
peak_rss() {
  "$python" "$root/scripts/bench/peak_rss.py" "$@"
}

# again_if_disturbed RECORD TRY...: runs TRY (a command that measures once, its peak_rss record in RECORD), and
# again, at most 3 times in all, while it succeeds but others disturbed it (--wait-quiet). Returns TRY's last status.
again_if_disturbed() {
  local record="$1" attempt=1 status
  shift
  while :; do
    status=0
    "$@" || status=$?
    ((status == 0)) && disturbed "$record" && ((attempt < 3)) || return "$status"
    attempt=$((attempt + 1))
    printf 'disturbed, again ... ' >&2
  done
}

# Exits (status 2) unless --wait-quiet's PCT is empty or 1 to 99.
check_wait_quiet() {
  [[ -z "$wait_quiet" || "$wait_quiet" =~ ^[1-9][0-9]?$ ]] || { echo "$me: --wait-quiet takes 1 to 99" >&2; exit 2; }
}

# machine_line [MORE]: prints "machine: cores, CPU, system[, MORE]; load average at start: ...".
machine_line() {
  local cpu_model
  cpu_model="$(LC_ALL=C lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)"
  echo "machine: $(nproc) cores (nproc), CPU: ${cpu_model:-unknown}, $(uname -sm)${1:+, $1};" \
    "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# Prints which NumPy and BLAS the peers' environment runs (bench_numpy.py --info); exits if NumPy does not run.
numpy_info() {
  local info
  if ! info="$("${peer_env[@]}" "$python" "$root/scripts/bench/bench_numpy.py" --info 2>&1)"; then
    echo "$me: NumPy does not run with $python:" >&2
    echo "$info" >&2
    exit 1
  fi
  echo "$info"
}

# build LOG: builds the jar (the launcher does when it is stale) and the test classes, which hold the machine probe
# and the Spark peers; exits, printing the end of LOG, if either fails.
build() {
  if ! "$root/scripts/relugrad" grad --help >"$1" 2>&1 \
      || ! (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests test-compile) >>"$1" 2>&1; then
    echo "$me: the build failed:" >&2
    tail -n 30 "$1" >&2
    exit 1
  fi
}
