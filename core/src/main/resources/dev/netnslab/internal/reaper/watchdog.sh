#!/bin/bash
# netns-lab watchdog: started once per JVM and backend, with its standard input tied to that JVM.
# The JVM never writes to the pipe, so end-of-file arrives exactly when the JVM is gone: a normal
# exit, a crash or kill -9. Then it deletes the namespaces named in that JVM's ownership records,
# and the records, and exits. It acts on nothing else: a record must name this owner (pid and
# process start time), carry a well-formed lab id, and every name in it must end in -<lab id>.
#
# Usage: bash watchdog.sh RECORDS_DIR OWNER_PID OWNER_START_TIME [IP]
set -u
dir=$1
pid=$2
start=$3
ip=${4:-ip}

# Ctrl-C in a terminal signals the whole process group. The JVM dies of it; this must outlive it.
trap '' INT HUP PIPE

while IFS= read -r _; do :; done

shopt -s nullglob
for record in "$dir"/nl*.lab; do
    lab='' owner_pid='' owner_start='' complete=''
    names=()
    while IFS= read -r line; do
        case $line in
            lab=*) lab=${line#lab=} ;;
            owner-pid=*) owner_pid=${line#owner-pid=} ;;
            owner-start=*) owner_start=${line#owner-start=} ;;
            namespace=*) names+=("${line#namespace=}") ;;
            end) complete=1 ;;
        esac
    done < "$record"
    [ "$owner_pid" = "$pid" ] && [ "$owner_start" = "$start" ] || continue
    [[ $lab =~ ^nl[a-z0-9]{6}$ ]] && [ "$record" = "$dir/$lab.lab" ] || continue
    if [ -n "$complete" ]; then
        batch='' pids_batch=''
        for name in "${names[@]}"; do
            # A name that does not carry the lab's id was not written by netns-lab: touch nothing.
            [[ $name =~ ^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}-$lab$ ]] || continue 2
            batch+="netns del $name"$'\n'
            pids_batch+="netns pids $name"$'\n'
        done
        if [ -n "$batch" ]; then
            # Processes the JVM spawned in its lab would keep the namespaces alive, nameless.
            pids=()
            while IFS= read -r p; do
                [[ $p =~ ^[0-9]+$ ]] && pids+=("$p")
            done < <(printf '%s' "$pids_batch" | "$ip" -force -batch - 2>/dev/null)
            [ ${#pids[@]} -eq 0 ] || kill -KILL "${pids[@]}" 2>/dev/null
            printf '%s' "$batch" | "$ip" -force -batch - >/dev/null 2>&1
        fi
    fi
    # An incomplete record was cut short before its lab created anything: only the file is left.
    rm -f -- "$record"
done
exit 0
