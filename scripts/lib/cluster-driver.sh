# Sourced by scripts/relugrad: a driver in a standalone master's cluster deploy mode, waited for to its end.
#
# spark-submit's standalone client exits 0 whatever became of the driver and says nothing of it: the driver's
# output and errors stay in its folder on the worker that ran it. So the launcher has the client wait
# (spark.standalone.submit.waitAppCompletion=true), reads the driver's id and end from the client (which logs them
# at INFO: conf/log4j2.properties), asks the master's web UI (its JSON) for the driver's final state and its worker,
# fetches the driver's stdout and stderr from that worker's web UI, shows its stdout and its relugrad lines, and
# exits with the driver's own exit code (which relugrad prints last on stdout in cluster deploy mode).

# Whether the arguments for spark-submit ask for cluster deploy mode (--deploy-mode or spark.submit.deployMode).
cluster_deploy_mode() {
  local mode="" previous="" a
  for a in "$@"; do
    case "$previous $a" in
      "--deploy-mode "*) mode="$a" ;;
      "--conf spark.submit.deployMode="* | "-c spark.submit.deployMode="*) mode="${a#*=}" ;;
    esac
    previous="$a"
  done
  [[ "$mode" == cluster ]]
}

# The value of --conf KEY=VALUE among the arguments for spark-submit, or nothing.
spark_conf_value() {
  local key="$1" previous="" value="" a
  shift
  for a in "$@"; do
    if [[ ( "$previous" == --conf || "$previous" == -c ) && "$a" == "$key="* ]]; then
      value="${a#*=}"
    fi
    previous="$a"
  done
  printf '%s' "$value"
}

# Exits 1 with one line unless some address of a spark:// master accepts a connection within 5 s. (In client mode
# the driver asks the same before Spark starts; here the submitting client would try for a minute.)
require_master() {
  local master="$1" host_port host port reason="" addresses
  IFS=',' read -r -a addresses <<<"${master#spark://}"
  for host_port in "${addresses[@]}"; do
    host="${host_port%:*}"
    port="${host_port##*:}"
    [[ "$host_port" == *:* ]] || port=7077
    if timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2"' probe "$host" "$port" 2>/dev/null; then
      return 0
    fi
    reason="nothing accepts connections at $host_port"
  done
  echo "relugrad: no Spark master answers at $master ($reason); start it, or give --master the address of one that runs" >&2
  exit 1
}

# The JSON object (one line, no spaces; objects within it one level deep) whose "id" is $2 in the JSON text $1.
json_object() {
  grep -oE "\{\"id\":\"$2\"([^{}]|\{[^{}]*\})*" <<<"$1" | head -n 1 || true
}

# A string field of a one-line JSON object.
json_field() {
  sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$1"
}

# The driver's stdout or stderr ($3) as its worker's web UI ($1) serves it: the last 1 MiB, without the header line.
driver_log() {
  curl -sf --max-time 10 "$1/log/?driverId=$2&logType=$3&byteLength=1048576" 2>/dev/null | tail -n +2
}

# Runs the submitting command "$@" (spark-submit in cluster deploy mode) to the driver's end, then reports the
# driver's end as described at the top, and exits with its code. Uses $master, $verbose and the arguments for
# spark-submit in spark_args.
wait_for_driver() {
  local log client_exit driver state worker="" webui="" json="" driver_json worker_json exit_code
  log="$(mktemp)"
  set +e
  "$@" >"$log" 2>&1
  client_exit=$?
  set -e
  driver="$(sed -n 's/.* ClientEndpoint: Driver successfully submitted as \(driver-[^ ]*\).*/\1/p' "$log" | head -n 1)"
  if [[ -z "$driver" ]]; then
    [[ "$verbose" == true ]] && cat "$log" >&2
    local why
    why="$(sed -n 's/^[0-9:]* \(ERROR\|WARN\) [^:]*: //p' "$log" | head -n 1)"
    rm -f "$log"
    echo "relugrad: the master at $master did not take the driver${why:+: $why} (spark-submit exited with $client_exit)" >&2
    exit 1
  fi
  state="$(sed -n "s/.* ClientEndpoint: State of driver $driver is \([A-Z]*\).*/\1/p" "$log" | tail -n 1)"
  local host_port="${master#spark://}"
  host_port="${host_port%%,*}"
  local ui_port
  ui_port="$(spark_conf_value spark.master.ui.port ${spark_args[@]+"${spark_args[@]}"})"
  json="$(curl -sf --max-time 10 "http://${host_port%:*}:${ui_port:-8080}/json/" 2>/dev/null | tr -d ' \n')" || true
  driver_json="$(json_object "$json" "$driver")"
  if [[ -n "$driver_json" ]]; then
    state="$(json_field "$driver_json" state)"
    worker="$(json_field "$driver_json" worker)"
    worker_json="$(json_object "$json" "$worker")"
    webui="$(json_field "$worker_json" webuiaddress)"
  fi
  local out="" err=""
  if [[ -n "$webui" ]]; then
    out="$(driver_log "$webui" "$driver" stdout)"
    err="$(driver_log "$webui" "$driver" stderr)"
  fi
  if [[ "$verbose" == true ]]; then
    cat "$log" >&2
    [[ -n "$err" ]] && printf '%s\n' "$err" >&2
  fi
  rm -f "$log"
  exit_code="$(sed -n 's/^relugrad exit code: \([0-9]*\)$/\1/p' <<<"$out" | tail -n 1)"
  [[ -n "$out" ]] && grep -v '^relugrad exit code: ' <<<"$out" || true
  if [[ "$verbose" != true ]]; then
    # The driver's relugrad lines but its progress lines ("relugrad: computing 10 of 40 rows (25%), 0:10, 1.00 rows/s"),
    # which tell nothing once it has ended.
    grep '^relugrad: ' <<<"$err" | grep -Ev '^relugrad: .*, [0-9]+:[0-9]{2}(, [0-9.]+[kMG]? rows/s)?$' >&2 || true
  fi
  if [[ -z "$exit_code" ]]; then
    case "$state" in
      FINISHED) exit_code=0 ;;
      *)
        exit_code=1
        local where="its worker's work folder, $driver/stderr"
        [[ -n "$webui" ]] && where="$webui/logPage/?driverId=$driver&logType=stderr"
        if [[ -z "$json" ]]; then
          where="$where (the master's web UI, http://${host_port%:*}:${ui_port:-8080}/json/, did not answer:"
          where="$where give its port with --conf spark.master.ui.port=PORT)"
        fi
        echo "relugrad: the driver $driver ended ${state:-in an unknown state}${worker:+ on $worker} without a word from relugrad; its log: $where" >&2 ;;
    esac
  fi
  exit "$exit_code"
}
