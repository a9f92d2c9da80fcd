# Sourced by scripts/relugrad: where the driver listens. A local master's executor is the driver's own JVM, so the
# driver stays on loopback: SPARK_LOCAL_IP=127.0.0.1 unless set. For a cluster's master nothing is set here: the
# driver binds to the address of this machine that routes to the master (internal/cluster/DriverAddress, as it
# starts), unless SPARK_LOCAL_IP, spark.driver.host or spark.driver.bindAddress says otherwise. Nor in a standalone
# master's cluster deploy mode, where spark-submit's client hands its whole environment to the driver it submits: a
# SPARK_LOCAL_IP set here would follow the driver to its worker, where it names another host.
#
# Reads master (lib/launcher-options.sh) and uses local_master and defaults_file (lib/driver-heap.sh); defines
# local_driver_address.

# Exports SPARK_LOCAL_IP=127.0.0.1, unless it is set, when the master (given, or the defaults file's) is local.
local_driver_address() {
  if local_master "$(defaults_file)"; then
    export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  fi
  return 0
}
