# Sourced by scripts/relugrad: the job submitted with a Spark installation's own spark-submit ($SPARK_HOME).
#
# Defines submit_with_spark_home, which reads what scripts/relugrad and lib/launcher-options.sh set.

# Runs $SPARK_HOME/bin/spark-submit in place of this shell (in a standalone master's cluster deploy mode, waits for
# the driver and exits as it did: lib/cluster-driver.sh). Master local[*] unless --master or the installation's
# defaults file names one.
submit_with_spark_home() {
  local submit=("$SPARK_HOME/bin/spark-submit")
  if [[ -n "$master" ]]; then
    submit+=(--master "$master")
  elif ! grep -qs '^[[:space:]]*spark\.master' "$SPARK_HOME/conf/spark-defaults.conf"; then
    submit+=(--master 'local[*]')
  fi
  [[ -n "$driver_memory" ]] && submit+=(--driver-memory "$driver_memory")
  [[ -n "$driver_class_path" ]] && submit+=(--driver-class-path "$driver_class_path")
  [[ -n "$driver_library_path" ]] && submit+=(--driver-library-path "$driver_library_path")
  # spark-submit splits these options as a shell would: quote the path, which may hold spaces.
  submit+=(--driver-java-options "\"$log_config\"${driver_java_options:+ $driver_java_options}")
  submit+=(--conf spark.executorEnv.OPENBLAS_NUM_THREADS=1)
  if [[ "$cluster_driver" == true ]]; then
    # The submitting client's own log settings: the driver's id and state at INFO.
    export SPARK_SUBMIT_OPTS="${SPARK_SUBMIT_OPTS:+$SPARK_SUBMIT_OPTS }$log_config"
    wait_for_driver "${submit[@]}" "${spark_args[@]}" --class "$main_class" "$jar" ${app_args[@]+"${app_args[@]}"}
  fi
  exec "${submit[@]}" "${spark_args[@]}" --class "$main_class" "$jar" ${app_args[@]+"${app_args[@]}"}
}
