#!/usr/bin/env bash
# Runs COMMAND as root of a new user namespace, so that a test JVM started by it can run Java code
# inside its labs (Namespace.call, callAsync, executor, the socket factories, in-process checks)
# without root or sudo on the machine:
#   scripts/in-user-namespace.sh ./mvnw -o test -Dtest=MyServiceTest
# Inside, the command is uid 0 of a user namespace that maps only you, with its own network and
# mount namespaces, a private /run (where ip netns keeps the lab's names) and netnslab.backend=local.
# Everything it builds ends with it. Nothing reaches the machine's network from inside: resolve
# dependencies first (Maven: run with -o, offline). Packet captures do not work there (tcpdump sets
# its groups, which a namespace that maps one user may not).
set -euo pipefail

if [ $# -eq 0 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "in-user-namespace: you are root already; run the command directly (netnslab.backend=local)" >&2
  exit 64
fi

# Java reads user.home from the passwd entry of its uid, and uid 0 there is root's: keep the caller's.
export NETNSLAB_CALLER_HOME=$HOME
exec unshare --user --map-root-user --net --mount --propagation private -- bash -c '
  set -euo pipefail
  mount -t tmpfs -o mode=755 netnslab-run /run
  ip link set lo up
  export NETNSLAB_BACKEND=local
  export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }-Duser.home=$NETNSLAB_CALLER_HOME"
  exec "$@"' in-user-namespace "$@"
