# Sourced by scripts/relugrad: --secret-file FILE, Spark's authentication with the secret in FILE, RPC encryption
# and encrypted shuffle and spill files. The driver reads FILE itself (spark.authenticate.secret.file;
# job/AuthenticationSecret), so the secret is on no command line; spark-submit's own client, which in cluster deploy
# mode talks to the master, takes it from the environment, as Spark's daemons hand it on. A --conf
# spark.authenticate.secret.file=FILE is read the same way.
#
# Defines secret_settings, which reads secret_file and spark_args (lib/launcher-options.sh).

# Puts the settings for the secret file, when one is given, before spark_args and the secret in _SPARK_AUTH_SECRET;
# exits 2 if the file cannot be read, or others can read it.
secret_settings() {
  local a
  for a in ${spark_args[@]+"${spark_args[@]}"}; do
    [[ "$a" == spark.authenticate.secret.file=* ]] && secret_file="${secret_file:-${a#*=}}"
  done
  [[ -n "$secret_file" ]] || return 0
  if [[ ! -f "$secret_file" || ! -r "$secret_file" ]]; then
    echo "relugrad: cannot read the secret file $secret_file" >&2
    exit 2
  fi
  if [[ -n "$(find "$secret_file" -perm /077)" ]]; then
    echo "relugrad: the secret file $secret_file can be read by others; chmod 600 it" >&2
    exit 2
  fi
  secret_file="$(cd "$(dirname "$secret_file")" && pwd)/$(basename "$secret_file")"
  spark_args=(--conf spark.authenticate=true --conf "spark.authenticate.secret.file=$secret_file"
              --conf spark.network.crypto.enabled=true --conf spark.io.encryption.enabled=true
              ${spark_args[@]+"${spark_args[@]}"})
  _SPARK_AUTH_SECRET="$(cat "$secret_file")"
  export _SPARK_AUTH_SECRET
}
