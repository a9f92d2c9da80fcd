# Sourced by scripts/relugrad: the driver JVM starts from a class archive of this build (target/class-archive): the
# classes a run loads, read, parsed and verified once, then mapped at every start instead of read out of some two
# hundred jars. On Java 25 and later it is the JVM's ahead-of-time cache (relugrad.aot: -XX:AOTCacheOutput and
# -XX:AOTCache), which also holds the classes linked and Java lambdas' call sites resolved; on an older Java, a
# dynamic class-data-sharing archive (relugrad.jsa: -XX:ArchiveClassesAtExit and -XX:SharedArchiveFile). Which one
# follows the Java the launcher runs (JAVA_HOME's, else the one on PATH). It is recorded the first time the
# launcher runs after a build or with another Java, by a run of every command on the built-in example
# (cli/ClassArchiveRun, about fifteen seconds here); a Java that cannot use it (another build, another classpath)
# starts without it, as it would anyway. RELUGRAD_CLASS_ARCHIVE=off, or the user's own
# -XX:SharedArchiveFile, -Xshare or -XX:AOT... options, turns it off.
#
# Reads root, jar, classpath_file, java_cmd, java_binary (the Java the archive is recorded by, and for), java_version
# and module_options (lib/java-options.sh); defines use_class_archive, which reads what the launcher sets for the
# driver JVM (app_classpath, submit, log_config, driver_memory, driver_java_options, app_args) and adds the archive to
# jvm, and archive_fresh and record_archive.

archive_dir="$root/target/class-archive"
if [[ "${java_version:-17}" -ge 25 ]]; then
  archive="$archive_dir/relugrad.aot"
  record_option=-XX:AOTCacheOutput
  start_option=-XX:AOTCache
  # The JVM says nothing of a cache it cannot use, or of classes it leaves out of one.
  quiet_archive=(-Xlog:aot=off -Xlog:cds=off)
else
  archive="$archive_dir/relugrad.jsa"
  record_option=-XX:ArchiveClassesAtExit
  start_option=-XX:SharedArchiveFile
  quiet_archive=(-Xlog:cds=off -Xlog:cds+dynamic=off)
fi
# The Java that recorded the archive, beside it: each kind keeps its own, so runs that change between a Java 17 and
# a Java 25 do not record again each time.
archive_java="$archive.java"

# Whether the archive is there, newer than the jar and its classpath, and recorded by this Java, unchanged since.
archive_fresh() {
  local recorded_by=""
  [[ -s "$archive" && -f "$archive_java" && "$archive" -nt "$jar" && "$archive" -nt "$classpath_file" ]] \
    && IFS= read -r recorded_by <"$archive_java" \
    && [[ "$recorded_by" == "$java_binary" && ! "$java_binary" -nt "$archive" ]]
}

# Records the archive unless another launcher did meanwhile; without it where the recording fails.
record_archive() {
  local tmp work status=0
  # Where the build's folder cannot be written to, runs start without an archive.
  mkdir -p "$archive_dir" 2>/dev/null && { exec 9>"$archive_dir/lock"; } 2>/dev/null || return 0
  # One launcher records it; others that start meanwhile wait for it, then use it.
  if command -v flock >/dev/null; then
    flock 9
  fi
  if ! archive_fresh; then
    [[ "$RELUGRAD_STDERR_TERMINAL" == 1 ]] \
      && echo "relugrad: recording the class archive that makes later starts faster (once per build) ..." >&2
    tmp="$archive.$$.tmp"
    work="$(mktemp -d)"
    "$java_cmd" "${module_options[@]}" "-Xmx${driver_memory:-1g}" "$log_config" "$record_option=$tmp" \
      "${quiet_archive[@]}" -cp "$app_classpath" "${submit[@]}" --master 'local[2]' \
      --class org.relugrad.cli.ClassArchiveRun spark-internal "$work/run" >"$archive_dir/record.log" 2>&1 || status=$?
    rm -rf "$work"
    if ((status == 0)) && [[ -s "$tmp" ]]; then
      printf '%s\n' "$java_binary" >"$archive_java"
      mv -f "$tmp" "$archive"
    else
      rm -f "$tmp"
    fi
  fi
  exec 9>&-
}

# Adds the archive to the driver JVM's options (jvm), recording it first if it is not fresh, unless it is turned
# off.
use_class_archive() {
  local a wants_answer=false
  if [[ "${RELUGRAD_CLASS_ARCHIVE:-on}" != off && "$driver_java_options" != *-XX:SharedArchiveFile* \
        && "$driver_java_options" != *-Xshare* && "$driver_java_options" != *-XX:AOT* ]]; then
    # --help and --version answer at once: they neither wait for a recording nor start one.
    for a in ${app_args[@]+"${app_args[@]}"}; do
      [[ "$a" == --help || "$a" == -h || "$a" == --version || "$a" == -V ]] && wants_answer=true
    done
    archive_fresh || [[ "$wants_answer" == true ]] || record_archive
    if archive_fresh; then
      jvm+=("$start_option=$archive" "${quiet_archive[@]}")
    fi
  fi
}
