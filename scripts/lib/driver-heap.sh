# Sourced by scripts/relugrad: the driver's heap when the user gives none and the master runs in the driver's JVM,
# and its pages.
#
# Reads master and sets driver_memory and driver_java_options (lib/launcher-options.sh); defines machine_heap,
# local_master, defaults_value, defaults_file, default_driver_heap and transparent_huge_pages.

# The driver's heap in local mode, where the driver's JVM is the only executor and holds the cached blocks: half of
# the machine's memory (or of this process's cgroup limit, when lower), leaving at least 2 GiB to the rest of the
# system, and at least 1 GiB. Prints it in MiB, as -Xmx and --driver-memory take it ("11980m").
machine_heap() {
  local total_mib=0 limit_bytes="" heap_mib key value rest
  if [[ -r /proc/meminfo ]]; then
    while read -r key value rest; do
      if [[ "$key" == MemTotal: ]]; then
        total_mib=$(( value / 1024 ))
        break
      fi
    done </proc/meminfo
  else
    total_mib=$(( $(sysctl -n hw.memsize 2>/dev/null || echo 4294967296) / 1048576 ))
  fi
  # cgroup v2, else v1 (where "no limit" is a number far above the machine's memory).
  { read -r limit_bytes </sys/fs/cgroup/memory.max || read -r limit_bytes </sys/fs/cgroup/memory/memory.limit_in_bytes
  } 2>/dev/null || true
  if [[ "$limit_bytes" =~ ^[0-9]+$ ]] && (( limit_bytes / 1048576 < total_mib )); then
    total_mib=$(( limit_bytes / 1048576 ))
  fi
  heap_mib=$(( total_mib / 2 ))
  (( total_mib - heap_mib < 2048 )) && heap_mib=$(( total_mib - 2048 ))
  (( heap_mib < 1024 )) && heap_mib=1024
  echo "${heap_mib}m"
}

# local_master DEFAULTS_FILE: whether the master (given, or else the defaults file's; local[*] when neither names
# one) runs in this JVM.
local_master() {
  local m="$master"
  [[ -z "$m" ]] && m="$(defaults_value spark.master "$1")"
  [[ -z "$m" || "$m" == local* ]]
}

# defaults_value NAME DEFAULTS_FILE: prints the value the defaults file gives NAME (its last line for NAME), or
# nothing. Read by the shell itself: the launcher asks a few times, and each sed or grep is a process to start.
defaults_value() {
  local line value=""
  [[ -r "$2" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*${1//./\\.}[[:space:]=]+([^[:space:]]*) ]] && value="${BASH_REMATCH[1]}"
  done <"$2"
  printf '%s' "$value"
}

# The defaults file spark-submit reads: the Spark installation's when SPARK_HOME is set, else the project's.
defaults_file() {
  if [[ -n "${SPARK_HOME:-}" ]]; then
    printf '%s' "${SPARK_CONF_DIR:-$SPARK_HOME/conf}/spark-defaults.conf"
  else
    printf '%s' "$root/conf/spark-defaults.conf"
  fi
}

# Sets driver_memory to machine_heap, and caps the young generation, when no heap is given (--driver-memory,
# spark.driver.memory, SPARK_DRIVER_MEMORY or the defaults file) and the master is local; and puts the heap in
# transparent huge pages when the master is local and the system offers them.
default_driver_heap() {
  local defaults_file is_local=false
  defaults_file="$(defaults_file)"
  local_master "$defaults_file" && is_local=true
  # The heap in 2 MiB pages (transparent_huge_pages), whatever its size. In local mode the driver's JVM makes and
  # caches the blocks: G1 copies each one from the young generation to the old, into memory touched for the first
  # time, and about half of that copy's time was the kernel's page faults, 512 of 4 KiB where one of 2 MiB does. At
  # --generate 40000000,4,4,42 --repeat 9 on 2 cores, the cache phase took 4.99 to 6.56 s with huge pages against
  # 6.61 to 7.91 s without. The cost: the committed heap is resident sooner (a streamed 1e8 x 4 x 4 run at the
  # default heap peaked at 738 MiB against 342 MiB). The user's options come after: -XX:-UseTransparentHugePages wins.
  if [[ "$is_local" == true ]] && transparent_huge_pages; then
    driver_java_options="-XX:+UseTransparentHugePages${driver_java_options:+ $driver_java_options}"
  fi
  if [[ -z "$driver_memory" && "$is_local" == true ]] \
     && [[ -z "$(defaults_value spark.driver.memory "$defaults_file")" ]]; then
    # Spark sizes local mode's storage memory from the JVM's heap; --driver-memory tells Spark the same size.
    driver_memory="$(machine_heap)"
    # What the young generation holds is the short-lived garbage of reading files, and the blocks being cached until
    # a collection copies them to the old generation. Left to grow with so large a heap, it raised the peak resident
    # memory of a streamed read with n (1.2 GB at 4e6 rows of a Parquet table, 1.6 GB at 1.6e7); capped, it stays flat.
    # The user's own --driver-java-options come after, so theirs wins.
    driver_java_options="-XX:MaxNewSize=512m${driver_java_options:+ $driver_java_options}"
  fi
}

# Whether the kernel lets a process ask for transparent huge pages: Linux names the mode in brackets,
# "always [madvise] never", and the JVM asks with madvise. Elsewhere (no such file) it does not.
transparent_huge_pages() {
  local modes=""
  { IFS= read -r modes </sys/kernel/mm/transparent_hugepage/enabled || [[ -n "$modes" ]]; } 2>/dev/null || return 1
  [[ -n "$modes" && "$modes" != *"[never]"* ]]
}
