# Sourced by scripts/relugrad: with no Spark installation, spark-submit's own class runs on the project's Maven
# classpath. The driver JVM is the launcher's, so the driver's memory, options, classpath and library path are set
# here, as spark-submit's launcher would.
#
# Defines driver_jvm and run_driver, which read what scripts/relugrad and lib/launcher-options.sh set, and
# drop_vector_notice.

# Sets jvm (the driver JVM's options), app_classpath (the project's: Spark's jars and relugrad's), classpath (the
# driver's), submit (spark-submit's class and properties file) and app_resource; exports LD_LIBRARY_PATH with the
# driver's library path. Exits 2 if the driver's Java options cannot be split.
driver_jvm() {
  jvm=("${module_options[@]}" "-Xmx${driver_memory:-1g}" "$log_config")
  if [[ -n "$driver_java_options" ]]; then
    # Split as a shell would, honouring quotes ("-Dname='a b'").
    if ! mapfile -t extra_java_options < <(printf '%s' "$driver_java_options" | xargs printf '%s\n'); then
      echo "relugrad: cannot split the driver's Java options: $driver_java_options" >&2
      exit 2
    fi
    jvm+=("${extra_java_options[@]}")
  fi
  if [[ -n "$driver_library_path" ]]; then
    export LD_LIBRARY_PATH="$driver_library_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  fi
  # relugrad's jar is on the driver's own classpath. In local mode that is all: the executor is this JVM, so
  # spark-submit gets no application jar to hand out (Spark's NO_RESOURCE, "spark-internal"), and the executor does
  # not fetch the jar's 13 MB over RPC before its first task. Executors elsewhere get it as the application jar.
  IFS= read -r app_classpath <"$classpath_file" || [[ -n "$app_classpath" ]]
  app_classpath="$app_classpath:$jar"
  classpath="$app_classpath${driver_class_path:+:$driver_class_path}"
  submit=(org.apache.spark.deploy.SparkSubmit --properties-file "$root/conf/spark-defaults.conf")
  app_resource="$jar"
  local_master "$root/conf/spark-defaults.conf" && app_resource=spark-internal
  return 0
}

# Runs the driver JVM in place of this shell, or, in a standalone master's or YARN's cluster deploy mode, waits for
# the driver and exits as it did (lib/cluster-driver.sh, lib/yarn.sh).
run_driver() {
  [[ -n "$master" ]] && submit+=(--master "$master")
  [[ -n "$driver_memory" ]] && submit+=(--driver-memory "$driver_memory")
  run=("$java_cmd" "${jvm[@]}" -cp "$classpath" "${submit[@]}" "${spark_args[@]}" --class "$main_class"
       "$app_resource" ${app_args[@]+"${app_args[@]}"})
  [[ "$cluster_driver" == true ]] && wait_for_driver "${run[@]}"
  [[ -n "$yarn_tag" ]] && wait_for_yarn_driver "${run[@]}"
  if [[ "$vector_api" == true ]]; then
    # The JVM announces the incubating Vector API on stderr at every start; keep stderr for what matters.
    set +e
    { "${run[@]}" 2>&1 1>&3 3>&- | drop_vector_notice >&2; } 3>&1
    exit "${PIPESTATUS[0]}"
  fi
  exec "${run[@]}"
}

# The JVM's first line on stderr, when it announces the incubating Vector API, is left out; the rest passes on as
# it comes, partial lines too (a progress line redrawn in place has no line end).
drop_vector_notice() {
  local first
  if IFS= read -r first; then
    [[ "$first" == 'WARNING: Using incubator modules: jdk.incubator.vector' ]] || printf '%s\n' "$first"
    cat
  else
    printf '%s' "$first"
  fi
}
