#!/usr/bin/env bash
# Labs without root: runs the examples as an ordinary user who has neither root nor sudo, all of
# them with netnslab.backend=rootless, then the Part 1 checks (Scenario 1 and the quick start) with
# the default auto, which must choose rootless; then the examples that run Java code inside the lab,
# in a test JVM inside a user namespace (scripts/in-user-namespace.sh); then doctor. Fails if the user has a process left.
#
# Run as root, after a build that filled root's ~/.m2: the user gets copies of the project and of
# Maven's repository and wrapper in folders it owns (root's home is not readable), and builds offline.
# The user is created here and removed at the end; a user of that name that this script did not
# create is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

user=${NETNSLAB_CI_USER:-netnslab-ci}
marker=.created-by-netnslab-ci
if id "$user" >/dev/null 2>&1; then
  old_home=$(getent passwd "$user" | cut -d: -f6)
  if [ ! -e "$old_home/$marker" ]; then
    echo "rootless: user $user exists and was not created by this script; set NETNSLAB_CI_USER to another name" >&2
    exit 1
  fi
  userdel --remove "$user"
fi
useradd --create-home --shell /bin/bash "$user"
home=$(getent passwd "$user" | cut -d: -f6)
touch "$home/$marker"
remove_user() {
  userdel --remove "$user" 2>/dev/null || echo "rootless: could not remove user $user (processes left?)" >&2
  rm -rf "/tmp/hsperfdata_$user"
}
trap remove_user EXIT

mkdir -p "$home/project" "$home/.m2" "$home/tmp"
tar --exclude='./*/target' --exclude='./.git' -cf - . | tar -xf - -C "$home/project"
cp -r "$HOME/.m2/repository" "$home/.m2/"
if [ -d "$HOME/.m2/wrapper" ]; then cp -r "$HOME/.m2/wrapper" "$home/.m2/"; fi
chown -R "$user:" "$home"

# Its own temporary folder: /tmp is not writable for every user on every machine. No JVM perf data
# either, which would go to /tmp whatever java.io.tmpdir says.
as_user() {
  su "$user" -s /bin/bash -c "cd ~/project && export TMPDIR=~/tmp JAVA_TOOL_OPTIONS=\"-Djava.io.tmpdir=\$HOME/tmp -XX:-UsePerfData\" && $1"
}
status=0

echo "== the examples as $user (no root, no sudo), netnslab.backend=rootless"
as_user "./mvnw -o -B -ntp -pl examples -am verify -DskipLibraryTests -Dnetnslab.backend=rootless" || status=$?

echo "== the Part 1 checks as $user with the default netnslab.backend=auto"
log="$home/tmp/auto.log"
as_user "./mvnw -o -B -ntp -pl examples -am verify -DskipLibraryTests -Dtest='Scenario1*,QuickStartTest' \
  -Dsurefire.failIfNoSpecifiedTests=false > $log 2>&1" || { status=1; cat "$log"; }
grep -E "Tests run: [0-9]+, Failures|BUILD" "$log" | tail -n 3
if ! grep -q "netnslab.backend=auto chose the rootless backend" "$log"; then
  echo "FAIL: auto did not say that it chose the rootless backend" >&2
  status=1
fi

echo "== Java inside without root: the examples that run Java code in the lab, as $user, in a test JVM"
echo "   started inside a user namespace (scripts/in-user-namespace.sh, netnslab.backend=local); none may skip"
log="$home/tmp/java-inside.log"
as_user "scripts/in-user-namespace.sh ./mvnw -o -B -ntp -pl examples -am verify -DskipLibraryTests \
  -Dtest='JavaServerInNamespaceTest,ReadmeJavaInsideTest,SocketFactoryClientTest' \
  -Dsurefire.failIfNoSpecifiedTests=false > $log 2>&1" || { status=1; cat "$log"; }
grep -E "Tests run: [0-9]+, Failures|BUILD" "$log" | tail -n 3
if ! grep -qE "^\[INFO\] Tests run: [1-9][0-9]*, Failures: 0, Errors: 0, Skipped: 0$" "$log"; then
  echo "FAIL: the Java-inside examples did not all run and pass inside the user namespace" >&2
  status=1
fi

echo "== doctor as $user"
as_user "java -jar core/target/netnslab-core-*-cli.jar doctor" || status=$?

# Each test JVM's user namespace ends with it; nothing of the user may still run (zombies of its
# direct children may wait a moment for init to reap them).
sleep 1
left=$(ps -u "$user" -o pid=,stat=,args= | awk '$2 !~ /^Z/' || true)
if [ -n "$left" ]; then
  echo "FAIL: processes of $user left after the rootless runs:" >&2
  echo "$left" >&2
  status=1
fi
exit $status
