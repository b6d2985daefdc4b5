#!/bin/bash
# netns-lab watchdog: started with its standard input tied to one JVM. The JVM never writes to the
# pipe, so end-of-file arrives exactly when the JVM is gone: a normal exit, a crash or kill -9. Then
# it cleans up what that JVM's records in the given folders name, removes those records, and exits:
#   FOLDER/<lab id>.lab     a lab: kills what runs in its namespaces, and deletes them;
#   FOLDER/<vm>/vm.record   a qemu VM that is not kept: stops its qemu, and removes its folder.
# It acts on nothing else. A record must name this owner (pid and process start time). A lab id is
# nl + 6 characters, and every namespace in its record must end in -<lab id>. A VM's folder is
# run-PID-START-N (this owner's pid and start time) right in FOLDER, and its qemu is signalled only
# while that pid still has the recorded start time, so a pid the kernel has reused is never touched.
#
# Usage: bash watchdog.sh OWNER_PID OWNER_START IP FOLDER...
set -u
pid=$1
start=$2
ip=$3
shift 3

# Ctrl-C in a terminal signals the whole process group. The JVM dies of it; this must outlive it.
trap '' INT HUP PIPE

while IFS= read -r _; do :; done

# Prints the start time of process $1 (field 22 of /proc/PID/stat), or nothing when it is gone or
# a zombie. Field 2, the command name, may hold spaces and parentheses: count from the last ')'.
started() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    set -- $stat
    [ "$1" = Z ] || printf '%s' "${20:-}"
}

# Kills what runs in the lab's namespaces (it would keep them alive, nameless), then deletes them.
# Fails, touching nothing, when a name does not carry the lab's id: netns-lab did not write it.
clean_lab() {
    local batch='' pids_batch='' name p
    local -a pids=()
    for name in "${names[@]}"; do
        [[ $name =~ ^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}-$lab$ ]] || return 1
        batch+="netns del $name"$'\n'
        pids_batch+="netns pids $name"$'\n'
    done
    [ -n "$batch" ] || return 0
    while IFS= read -r p; do
        [[ $p =~ ^[0-9]+$ ]] && pids+=("$p")
    done < <(printf '%s' "$pids_batch" | "$ip" -force -batch - 2>/dev/null)
    [ ${#pids[@]} -eq 0 ] || kill -KILL "${pids[@]}" 2>/dev/null
    printf '%s' "$batch" | "$ip" -force -batch - >/dev/null 2>&1
    return 0
}

# Stops the VM's qemu: SIGTERM (qemu exits at once, the guest is thrown away), SIGKILL if it is
# still there after 10 s.
stop_qemu() {
    [[ $qemu_pid =~ ^[0-9]+$ ]] && [[ $qemu_start =~ ^[0-9]+$ ]] || return 0
    [ "$(started "$qemu_pid")" = "$qemu_start" ] || return 0
    kill -TERM "$qemu_pid" 2>/dev/null
    for _ in $(seq 1 50); do
        [ "$(started "$qemu_pid")" = "$qemu_start" ] || return 0
        sleep 0.2
    done
    kill -KILL "$qemu_pid" 2>/dev/null
    return 0
}

shopt -s nullglob
for folder in "$@"; do
    for record in "$folder"/nl*.lab "$folder"/run-*/vm.record; do
        lab='' vm='' owner_pid='' owner_start='' qemu_pid='' qemu_start='' keep='' complete=''
        names=()
        while IFS= read -r line; do
            case $line in
                lab=*) lab=${line#lab=} ;;
                vm=*) vm=${line#vm=} ;;
                owner-pid=*) owner_pid=${line#owner-pid=} ;;
                owner-start=*) owner_start=${line#owner-start=} ;;
                qemu-pid=*) qemu_pid=${line#qemu-pid=} ;;
                qemu-start=*) qemu_start=${line#qemu-start=} ;;
                keep=*) keep=${line#keep=} ;;
                namespace=*) names+=("${line#namespace=}") ;;
                end) complete=1 ;;
            esac
        done < "$record"
        [ "$owner_pid" = "$pid" ] && [ "$owner_start" = "$start" ] || continue
        if [ -n "$lab" ] && [ -z "$vm" ]; then
            [[ $lab =~ ^nl[a-z0-9]{6}$ ]] && [ "$record" = "$folder/$lab.lab" ] || continue
            # An incomplete record was cut short before its lab created anything: only the file is left.
            if [ -n "$complete" ]; then
                clean_lab || continue
            fi
            rm -f -- "$record"
        elif [ -n "$vm" ] && [ -z "$lab" ]; then
            [[ $vm =~ ^run-$pid-$start-[A-Za-z0-9]+$ ]] && [ "$record" = "$folder/$vm/vm.record" ] \
                && [ -n "$complete" ] && [ "$keep" = false ] || continue
            stop_qemu
            rm -rf -- "${folder:?}/$vm"
        fi
    done
done
exit 0
