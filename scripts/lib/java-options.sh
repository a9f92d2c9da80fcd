# Sourced by scripts/relugrad, scripts/local-cluster, scripts/local-hdfs, scripts/local-yarn and scripts/bench/io:
# the Java options every Spark JVM needs here.
#
# Sets java_cmd (JAVA_HOME's java, else the one on PATH; exits 2 with one line where there is none), java_binary
# (that file, links followed), java_version (its feature release, e.g. 17 or 25), vector_api (true when the JDK's
# Vector API is added: the fused kernel's, and BLAS's last fallback where the system has no native BLAS, after the
# OpenBLAS in relugrad's jar; the JVM then announces it on stderr) and module_options: what spark-submit adds to a
# JVM on Java 17+ (org.apache.spark.launcher.JavaModuleOptions), with the packages Java 24+ no longer has left out,
# so no JVM warns about them at start, and how soon the JIT compiles relugrad's Vector API code.

java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! java_binary="$(command -v "$java_cmd")"; then
  echo "${0##*/}: no Java at $java_cmd: set JAVA_HOME to a Java 17 or later, or put its java on PATH" >&2
  exit 2
fi
java_binary="$(readlink -f "$java_binary" 2>/dev/null || echo "$java_binary")"
# The JDK's release file beside bin/ names the version (JAVA_VERSION="17.0.15"); reading it spares a JVM's start,
# a sixth of a second. A Java without one is asked.
java_version=""
if [[ "$java_binary" == */bin/java && -r "${java_binary%/bin/java}/release" ]]; then
  while IFS= read -r release_line; do
    if [[ "$release_line" =~ ^JAVA_VERSION=\"(1\.)?([0-9]+) ]]; then
      java_version="${BASH_REMATCH[2]}"
      break
    fi
  done <"${java_binary%/bin/java}/release"
fi
if [[ -z "$java_version" ]]; then
  java_version="$("$java_cmd" -XshowSettings:properties -version 2>&1 \
                  | sed -n 's/^ *java\.specification\.version = \(1\.\)\{0,1\}\([0-9]*\).*/\2/p')"
fi
module_options=(-XX:+IgnoreUnrecognizedVMOptions)
# Added always: the fused kernel (math/FusedKernel) runs on it whatever BLAS the system has. Without it, on a
# machine with a native BLAS, rows of at most 64 values ran in plain Java, about 15 times slower per row at
# d = k = 16 (src/bench's bench.KernelBench).
vector_api=true
module_options+=(--add-modules=jdk.incubator.vector)
java_opens=(java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent
            java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.util.calendar)
if [[ "${java_version:-17}" -ge 24 ]]; then
  # Java 24+ has no sun.security.action, and warns on every start about Hadoop's native loading and Spark's use
  # of sun.misc.Unsafe unless these are allowed.
  module_options+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
else
  java_opens+=(sun.security.action)
fi
for p in "${java_opens[@]}"; do
  module_options+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
module_options+=(--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true)
# The JIT compiles the Vector API code of the fused kernel and of --generate's rows after a twentieth of the calls
# it waits for by default. Until then that code runs about a hundred times slower than plain Java (every vector
# operation an object on the heap): at d = k = 16, one thread's first block of 16383 rows took 0.6 to 1 s of CPU
# in the kernel that way, against 0.2 to 0.35 s with these, and making the block's rows 0.17 to 0.28 s against
# 0.05 to 0.15 s; the compiled code is as fast. "quiet" keeps the JVM from printing the commands on stdout.
module_options+=(-XX:CompileCommand=quiet
                 -XX:CompileCommand=CompileThresholdScaling,org.relugrad.internal.kernel.FusedKernelVector::*,0.05
                 -XX:CompileCommand=CompileThresholdScaling,org.relugrad.internal.io.synthetic.SyntheticLanes::*,0.05)
