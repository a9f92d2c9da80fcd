# Sourced by scripts/relugrad: the application jar and its runtime classpath, built when missing or out of date.
#
# Reads root, jar (target/relugrad.jar) and classpath_file (target/runtime-classpath.txt); defines stale and
# build_if_stale.

# Whether the jar or its classpath file is missing, or the pom or the main sources are newer than the jar.
stale() {
  [[ ! -f "$jar" || ! -f "$classpath_file" ]] && return 0
  [[ -n "$(find "$root/pom.xml" "$root/src/main" -newer "$jar" -print -quit)" ]]
}

# Builds the jar and its classpath file (mvn -DskipTests package) when they are stale; exits 1, printing the end of
# Maven's output, if the build fails.
build_if_stale() {
  local build_log
  stale || return 0
  echo "relugrad: building the application jar (mvn package) ..." >&2
  build_log="$(mktemp)"
  if ! (cd "$root" && mvn -B -Dstyle.color=never -DskipTests package) >"$build_log" 2>&1; then
    tail -n 40 "$build_log" >&2
    echo "relugrad: the build failed (mvn -DskipTests package)" >&2
    rm -f "$build_log"
    exit 1
  fi
  rm -f "$build_log"
}
