#!/bin/bash -e
# The single-namespace lab built by hand, the classic first exercise of container networking
# (a namespace, a veth pair, addresses, a route), step for step. Two changes for
# the benchmark: `sudo` is dropped (the bench runs as root; sudo would only make the baseline
# slower), and env.sh is read from the bench's folder instead of /home/ubuntu.

. "$(dirname "$0")/env.sh"

echo "[+] Creating the namespace"
ip netns add $CON

echo "[+] Creating the veth pair"
ip link add veth1 type veth peer name veth2

echo "[+] Moving one end to namespace"
ip link set veth2 netns $CON

echo "[+] Assigning IP inside namespace"
ip netns exec $CON ip addr add $IP dev veth2

echo "[+] Bringing up interfaces"
ip netns exec $CON ip link set veth2 up
ip netns exec $CON ip link set lo up
ip link set veth1 up

echo "[+] Routing setup"
ip route add $IP/32 dev veth1 || true
ip netns exec $CON ip route add default via $IP dev veth2 || true
