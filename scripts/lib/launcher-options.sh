# Sourced by scripts/relugrad: its command line, split as spark-submit would take it. spark-submit's options may
# stand anywhere among relugrad's; everything else goes to relugrad.
#
# Defines parse_launcher_options, which sets spark_args (spark-submit's options, passed on), app_args (relugrad's
# arguments), and the options the launcher acts on itself: master, name, driver_memory, driver_java_options,
# driver_class_path, driver_library_path and secret_file; and app_command, which sets command_name and verbose.

# spark-submit's options that take a value; all of them may also be written --option=value.
spark_value_options=" --master --deploy-mode --name --jars --packages --exclude-packages --repositories --files
  --archives --conf -c --properties-file --driver-memory --driver-java-options --driver-library-path
  --driver-class-path --driver-cores --executor-memory --executor-cores --num-executors --total-executor-cores
  --queue --principal --keytab --proxy-user --secret-file "

# parse_launcher_options ARGS...: exits 2 when an option of spark-submit's lacks its value.
parse_launcher_options() {
  local opt value
  spark_args=()
  app_args=()
  master=""
  name=""
  driver_memory="${SPARK_DRIVER_MEMORY:-}"
  driver_java_options=""
  driver_class_path=""
  driver_library_path=""
  secret_file=""
  while (($#)); do
    opt="$1"
    value=""
    if [[ "$opt" == --*=* && "$spark_value_options" == *" ${opt%%=*} "* ]]; then
      value="${opt#*=}"
      opt="${opt%%=*}"
      shift
    elif [[ "$spark_value_options" == *" $opt "* ]]; then
      if (($# < 2)); then
        echo "relugrad: $opt needs a value" >&2
        exit 2
      fi
      value="$2"
      shift 2
    elif [[ "$opt" == --supervise ]]; then
      spark_args+=("$opt")
      shift
      continue
    else
      app_args+=("$opt")
      shift
      continue
    fi
    case "$opt" in
      --master) master="$value" ;;
      --name) name="$value" ;;
      --driver-memory) driver_memory="$value" ;;
      --driver-java-options) driver_java_options="$value" ;;
      --driver-class-path) driver_class_path="$value" ;;
      --driver-library-path) driver_library_path="$value" ;;
      --secret-file) secret_file="$value" ;;
      --conf|-c)
        # The driver's own settings also shape the driver JVM, which (without SPARK_HOME) the launcher starts.
        case "$value" in
          spark.driver.memory=*) driver_memory="${value#*=}" ;;
          spark.master=*) master="${value#*=}"; spark_args+=("$opt" "$value") ;;
          spark.driver.extraJavaOptions=*)
            driver_java_options="${driver_java_options:+$driver_java_options }${value#*=}" ;;
          spark.driver.extraClassPath=*)
            driver_class_path="${driver_class_path:+$driver_class_path:}${value#*=}" ;;
          spark.driver.extraLibraryPath=*)
            driver_library_path="${driver_library_path:+$driver_library_path:}${value#*=}" ;;
          *) spark_args+=("$opt" "$value") ;;
        esac ;;
      *) spark_args+=("$opt" "$value") ;;
    esac
  done
}

# Sets command_name (" grad": relugrad's first argument that is no option, with a space before it, for the
# application's name; empty when there is none) and verbose (true when relugrad's arguments hold --verbose).
app_command() {
  local a
  command_name=""
  verbose=false
  for a in ${app_args[@]+"${app_args[@]}"}; do
    if [[ "$a" != -* && -z "$command_name" ]]; then
      command_name=" $a"
    fi
    [[ "$a" == --verbose ]] && verbose=true
  done
  return 0
}
