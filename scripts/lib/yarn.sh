# Sourced by scripts/relugrad: --master yarn without a Spark installation. spark-submit's own class runs on the
# project's Maven classpath, which holds spark-yarn (a provided dependency: never in the application jar); the
# cluster's configuration folder goes on that classpath, as Spark's launcher scripts put it; Spark's jars reach the
# containers as on a real cluster, by spark.yarn.jars (with no SPARK_HOME to take them from, Spark would have none to
# send). In cluster deploy mode the launcher waits for the application, shows the driver's output and its relugrad
# lines, and exits with the driver's exit code, as it does for a standalone master (lib/cluster-driver.sh).
#
# Defines yarn_settings, which reads master, spark_args and driver_class_path (lib/launcher-options.sh) and
# classpath_file, and wait_for_yarn_driver; uses cluster_deploy_mode and spark_conf_value (lib/cluster-driver.sh).

# The tag the launcher gives the application in cluster deploy mode, to find it at the ResourceManager.
yarn_tag=""

# For --master yarn: exits 2 with one line unless HADOOP_CONF_DIR or YARN_CONF_DIR names a folder; puts those folders
# on the driver's classpath; names Spark's jars for the containers (spark.yarn.jars: the Maven jars the driver runs
# on) unless spark.yarn.jars or spark.yarn.archive is given; and in cluster deploy mode runs the driver once
# (spark.yarn.maxAppAttempts=1 unless given: a second attempt would run the whole job again, or fail as the first did)
# and tags the application.
yarn_settings() {
  [[ "$master" == yarn ]] || return 0
  local d found=false
  for d in "${HADOOP_CONF_DIR:-}" "${YARN_CONF_DIR:-}"; do
    [[ -n "$d" ]] || continue
    if [[ ! -d "$d" ]]; then
      echo "relugrad: --master yarn: $d (HADOOP_CONF_DIR or YARN_CONF_DIR) is no folder; give the folder of the cluster's yarn-site.xml" >&2
      exit 2
    fi
    driver_class_path="${driver_class_path:+$driver_class_path:}$(cd "$d" && pwd)"
    found=true
  done
  if [[ "$found" != true ]]; then
    echo "relugrad: --master yarn needs HADOOP_CONF_DIR (or YARN_CONF_DIR), the folder of the cluster's yarn-site.xml; scripts/local-yarn start prints one" >&2
    exit 2
  fi
  if [[ -z "$(spark_conf_value spark.yarn.jars ${spark_args[@]+"${spark_args[@]}"})" \
        && -z "$(spark_conf_value spark.yarn.archive ${spark_args[@]+"${spark_args[@]}"})" ]]; then
    spark_args+=(--conf "spark.yarn.jars=$(tr ':' ',' <"$classpath_file")")
  fi
  if cluster_deploy_mode ${spark_args[@]+"${spark_args[@]}"}; then
    if [[ -z "$(spark_conf_value spark.yarn.maxAppAttempts ${spark_args[@]+"${spark_args[@]}"})" ]]; then
      spark_args+=(--conf spark.yarn.maxAppAttempts=1)
    fi
    yarn_tag="relugrad-$$-$RANDOM$RANDOM"
    spark_args+=(--conf "spark.yarn.tags=$yarn_tag")
  fi
}

# A property's value in the cluster's yarn-site.xml (HADOOP_CONF_DIR's, else YARN_CONF_DIR's), or nothing.
yarn_site_value() {
  local d file
  for d in "${HADOOP_CONF_DIR:-}" "${YARN_CONF_DIR:-}"; do
    file="$d/yarn-site.xml"
    [[ -n "$d" && -f "$file" ]] || continue
    tr -d '\n\r\t ' <"$file" | grep -o "<name>$1</name><value>[^<]*</value>" | head -n 1 \
      | sed 's/.*<value>\(.*\)<\/value>/\1/'
    return 0
  done
}

# A container's log file ($2: stdout, stderr) from the NodeManager's web service that ran it: the container's
# logs URL ($1, the ResourceManager's amContainerLogs, http://NODE/node/containerlogs/CONTAINER/USER). The service
# frames the file with its own header (Container:, LogType:, ..., LogContents:) and footer (End of LogType:): only
# what lies between is the file.
container_log() {
  local node container text
  node="${1%%/node/containerlogs/*}"
  container="${1#*/node/containerlogs/}"
  container="${container%%/*}"
  text="$(curl -sf --max-time 10 "$node/ws/v1/node/containerlogs/$container/$2" 2>/dev/null)" || return 0
  if grep -qx 'LogContents:' <<<"$text"; then
    sed -n '/^LogContents:$/,/^End of LogType:/p' <<<"$text" | sed '1d;$d'
  else
    printf '%s\n' "$text"
  fi
}

# Runs the submitting command "$@" (spark-submit in YARN's cluster deploy mode, which waits for the application) to
# its end, finds the application by its tag at the ResourceManager's web service, fetches the driver's stdout and
# stderr (its application master's container's) from the NodeManager that ran it, shows its stdout and its relugrad
# lines, and exits with the driver's exit code (which relugrad's driver prints last on stdout in cluster deploy mode).
wait_for_yarn_driver() {
  local log client_exit webapp apps="" app="" state="" final="" logs="" out="" err="" exit_code
  log="$(mktemp)"
  set +e
  "$@" >"$log" 2>&1
  client_exit=$?
  set -e
  webapp="$(yarn_site_value yarn.resourcemanager.webapp.address)"
  if [[ -n "$webapp" ]]; then
    apps="$(curl -sf --max-time 10 "http://$webapp/ws/v1/cluster/apps?applicationTags=$yarn_tag" 2>/dev/null \
      | tr -d '\n')" || true
  fi
  app="$(sed -n 's/.*"id":"\(application_[0-9]*_[0-9]*\)".*/\1/p' <<<"$apps" | head -n 1)"
  if [[ -z "$app" ]]; then
    [[ "$verbose" == true ]] && cat "$log" >&2
    local why
    why="$(grep -m 1 -E '^(Exception in thread|Error:|[0-9:]* ERROR)' "$log" | sed 's/^[0-9:]* ERROR [^:]*: //' || true)"
    rm -f "$log"
    echo "relugrad: YARN did not take the application${why:+: $why} (spark-submit exited with $client_exit)" >&2
    exit 1
  fi
  state="$(json_field "$apps" state)"
  final="$(json_field "$apps" finalStatus)"
  logs="$(json_field "$apps" amContainerLogs)"
  if [[ -n "$logs" ]]; then
    out="$(container_log "$logs" stdout)"
    err="$(container_log "$logs" stderr)"
  fi
  if [[ "$verbose" == true ]]; then
    cat "$log" >&2
    [[ -n "$err" ]] && printf '%s\n' "$err" >&2
  fi
  rm -f "$log"
  exit_code="$(sed -n 's/^relugrad exit code: \([0-9]*\)$/\1/p' <<<"$out" | tail -n 1)"
  [[ -n "$out" ]] && grep -v '^relugrad exit code: ' <<<"$out" || true
  if [[ "$verbose" != true ]]; then
    # The driver's relugrad lines but its progress lines, which tell nothing once it has ended.
    grep '^relugrad: ' <<<"$err" | grep -Ev '^relugrad: .*, [0-9]+:[0-9]{2}(, [0-9.]+[kMG]? rows/s)?$' >&2 || true
  fi
  if [[ -z "$exit_code" ]]; then
    if [[ "$final" == SUCCEEDED ]]; then
      exit_code=0
    else
      exit_code=1
      [[ -n "$logs" ]] || logs="the ResourceManager's web UI, http://$webapp"
      echo "relugrad: the application $app ended ${state:-in an unknown state} (${final:-no final status}) without a word from relugrad; its driver's log: $logs" >&2
    fi
  fi
  exit "$exit_code"
}
