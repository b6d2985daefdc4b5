#!/bin/bash
# netns-lab VM watchdog: started with its standard input tied to the JVM that booted a VM. The JVM
# never writes to the pipe, so end-of-file arrives exactly when the JVM is gone (a normal exit, a
# crash or kill -9). Then it stops that VM's qemu and removes the VM's folder, and exits. A JVM that
# stops the VM itself first kills this script, which then does nothing.
#
# It acts on one process only: PID, and only while its start time (field 22 of /proc/PID/stat) is
# still START, so a pid the kernel has handed to another process since is never signalled.
#
# Usage: bash vm-watchdog.sh PID START DIR
set -u
pid=$1
start=$2
dir=$3

# Ctrl-C in a terminal signals the whole process group. The JVM dies of it; this must outlive it.
trap '' INT HUP PIPE

while IFS= read -r _; do :; done

same() {
    local stat
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    set -- $stat
    [ "${20}" = "$start" ]
}

if same; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do
        same || break
        sleep 0.2
    done
    same && kill -KILL "$pid" 2>/dev/null
fi
# Only a folder netns-lab made for one run's VM; never a kept VM's folder.
case $dir in
    */qemu/run-*) rm -rf -- "$dir" ;;
esac
exit 0
