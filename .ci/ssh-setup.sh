#!/usr/bin/env bash
# What the SSH backend's tests and an examples run over SSH need, on a fresh Debian 12, as root.
#
#   .ci/ssh-setup.sh install       install openssh-server (the tests start their own sshd on
#                                  127.0.0.1 from it), plus iproute2 and ping for the labs
#   .ci/ssh-setup.sh start DIR     start a throwaway sshd on 127.0.0.1 with keys in DIR and print
#                                  the NETNSLAB_* variables that point the ssh backend at it:
#                                    eval "$(.ci/ssh-setup.sh start /tmp/netnslab-sshd)"
#                                    NETNSLAB_BACKEND=ssh ./mvnw -pl examples -am test
#   .ci/ssh-setup.sh stop DIR      stop that sshd (by the pid it recorded) and remove DIR
#
# The system's own sshd is never started, changed or stopped.
set -euo pipefail

SSHD=/usr/sbin/sshd

install() {
  local missing=()
  [ -x "$SSHD" ] || missing+=(openssh-server)
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v ping >/dev/null || missing+=(iputils-ping)
  if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # policy-rc.d 101 keeps the package from starting the system sshd on port 22.
    local policy=/usr/sbin/policy-rc.d created=""
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created=1; fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ -n "$created" ]; then rm -f "$policy"; fi
  fi
  # sshd refuses to start without its privilege separation folder.
  mkdir -p /run/sshd
  echo "ssh-setup: openssh-server $(dpkg-query -W -f='${Version}' openssh-server) ready" >&2
}

start() {
  local dir=$1
  mkdir -p "$dir"; chmod 700 "$dir"
  [ -f "$dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C netnslab-ci-host -f "$dir/host_ed25519"
  [ -f "$dir/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C netnslab-ci -f "$dir/id_ed25519"
  cp "$dir/id_ed25519.pub" "$dir/authorized_keys"
  mkdir -p /run/sshd
  local port
  for _ in $(seq 1 20); do
    port=$(( 20000 + RANDOM % 30000 ))
    cat > "$dir/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxSessions 30
Subsystem sftp internal-sftp
LogLevel ERROR
CONFIG
    rm -f "$dir/sshd.pid"
    # Without -D sshd detaches and records its pid in PidFile, which stop reads.
    if "$SSHD" -f "$dir/sshd_config" -E "$dir/sshd.log" && wait_for_pid "$dir/sshd.pid"; then
      printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" > "$dir/known_hosts"
      cat <<ENV
export NETNSLAB_SSH_HOST=127.0.0.1
export NETNSLAB_SSH_PORT=$port
export NETNSLAB_SSH_USER=root
export NETNSLAB_SSH_IDENTITY=$dir/id_ed25519
export NETNSLAB_SSH_KNOWNHOSTS=$dir/known_hosts
ENV
      return 0
    fi
  done
  echo "ssh-setup: could not start sshd; its log:" >&2
  cat "$dir/sshd.log" >&2 || true
  return 1
}

wait_for_pid() {
  for _ in $(seq 1 50); do
    if [ -s "$1" ]; then return 0; fi
    sleep 0.1
  done
  return 1
}

stop() {
  local dir=$1
  if [ -s "$dir/sshd.pid" ]; then
    kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?usage: $0 start DIR}" ;;
  stop) stop "${2:?usage: $0 stop DIR}" ;;
  *) echo "usage: $0 install | start DIR | stop DIR" >&2; exit 64 ;;
esac
