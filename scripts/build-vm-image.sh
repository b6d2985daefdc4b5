#!/usr/bin/env bash
# Builds the Debian 12 image the qemu backend's tests boot: DIR/disk.qcow2 (an ext4 root file
# system, no boot loader), DIR/vmlinuz and DIR/initrd.img (its kernel, booted with qemu -kernel).
# Idempotent: returns at once when the three files are there and were built from the same package
# list. Needs root (debootstrap, chroot).
#
#   scripts/build-vm-image.sh ~/.cache/netnslab/vm/debian12
#   mvn ... -Dnetnslab.backend=qemu -Dnetnslab.qemu.image=DIR/disk.qcow2 \
#           -Dnetnslab.qemu.kernel=DIR/vmlinuz -Dnetnslab.qemu.initrd=DIR/initrd.img
#
# The packages come from the Debian mirror this machine's apt already uses (set MIRROR=URL to pick
# another). A cold build takes about 3-4 minutes and the image is about 750 MB.
set -euo pipefail

usage() { echo "usage: $0 DIR   (writes DIR/disk.qcow2, DIR/vmlinuz, DIR/initrd.img)" >&2; exit 2; }
[ $# -eq 1 ] && [ -n "$1" ] || usage
dir=$1


suite=bookworm
# What the guest needs: a kernel that boots with -kernel/-initrd, systemd, cloud-init with its
# network (ifupdown + dhclient) and sshd, and the tools labs use. debootstrap does not resolve
# virtual packages, so python3-cffi-backend (which cloud-init's crypto needs) is named here.
# tcpdump, iptables and socat are the packages cloud-init.yaml asks for, preinstalled so a boot
# does not download them.
include=linux-image-amd64,systemd-sysv,udev,kmod,cloud-init,openssh-server,iproute2,iputils-ping,sudo
include+=,ifupdown,isc-dhcp-client,netbase,python3-cffi-backend,tcpdump,iptables,nftables,socat
size=3G

# An image built from another package list (an older version of this script) is built again.
if [ -s "$dir/disk.qcow2" ] && [ -s "$dir/vmlinuz" ] && [ -s "$dir/initrd.img" ] \
    && [ "$(cat "$dir/packages" 2>/dev/null)" = "$include" ]; then
  echo "build-vm-image: $dir already holds the image" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "build-vm-image: debootstrap needs root; run: sudo $0 $dir" >&2
  exit 1
fi

# Tools to build the image, and to boot it afterwards.
declare -A needs=([debootstrap]=debootstrap [mkfs.ext4]=e2fsprogs [qemu-img]=qemu-utils
                  [qemu-system-x86_64]=qemu-system-x86)
missing=()
for tool in "${!needs[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${needs[$tool]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  echo "build-vm-image: installing ${missing[*]}" >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  }
fi

# The first Debian mirror apt is configured with, in deb822 (.sources) or one-line format.
mirror() {
  local file uri
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    # A stanza whose Suites include the plain suite name (not -security): its first URI.
    uri=$(awk -v suite="$suite" '
      BEGIN { RS=""; FS="\n" }
      {
        uris=""; ok=0; on=1
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Enabled:[ \t]*no/) on=0
          if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uris=u[1] }
          if ($i ~ /^Suites:/) { n=split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == suite) ok=1 }
        }
        if (ok && on && uris != "") { print uris; exit }
      }' "$file")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    uri=$(awk -v suite="$suite" '$1 == "deb" {
        i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i+1) == suite) { print $i; exit } }' "$file")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  echo http://deb.debian.org/debian
}
mirror=${MIRROR:-$(mirror)}

mkdir -p "$dir"
work=$(mktemp -d "$dir/.build.XXXXXX")
cleanup() {
  # debootstrap may leave /proc or /sys mounted in the chroot when it fails part-way.
  for m in proc sys dev/pts dev; do
    mountpoint -q "$work/rootfs/$m" 2>/dev/null && umount -l "$work/rootfs/$m" || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

start=$SECONDS
echo "build-vm-image: debootstrap $suite from $mirror into $work (about 2-3 minutes)" >&2
debootstrap --variant=minbase --include="$include" "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  echo "build-vm-image: debootstrap failed (log above)" >&2
  exit 1
}
root=$work/rootfs

# cloud-init: only NoCloud (no probing for cloud metadata services), no locale (there is no
# locales package), and /etc/hosts from the hostname so sudo does not warn. Only an ed25519 host
# key, since the others take long to generate on an emulated CPU. No grub either: the kernel is
# booted by qemu.
cat >"$root/etc/cloud/cloud.cfg.d/90-netnslab.cfg" <<'EOF'
datasource_list: [ NoCloud, None ]
locale: false
manage_etc_hosts: true
ssh_genkeytypes: [ ed25519 ]
grub_dpkg:
  enabled: false
EOF
printf '/dev/vda / ext4 defaults,noatime 0 1\n' >"$root/etc/fstab"
echo debian12 >"$root/etc/hostname"
# Every boot gets its own host keys from cloud-init; these are shared by every copy of the image.
rm -f "$root"/etc/ssh/ssh_host_*
# Timers that would run apt in the background of a slow guest; labs never need them.
for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer; do
  ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/var/cache/apt/*.bin

kernel=$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n 1)
initrd=$(ls "$root"/boot/initrd.img-* | sort -V | tail -n 1)
cp "$kernel" "$work/vmlinuz"
cp "$initrd" "$work/initrd.img"
chmod 0644 "$work/vmlinuz" "$work/initrd.img"

echo "build-vm-image: writing the disk" >&2
mkfs.ext4 -q -L root -d "$root" "$work/disk.raw" "$size" >/dev/null
qemu-img convert -O qcow2 "$work/disk.raw" "$work/disk.qcow2"

# The disk last: a DIR with disk.qcow2 and the package list in it is a finished image.
rm -f "$dir/packages"
mv "$work/vmlinuz" "$dir/vmlinuz"
mv "$work/initrd.img" "$dir/initrd.img"
mv "$work/disk.qcow2" "$dir/disk.qcow2"
printf '%s\n' "$include" >"$dir/packages"
echo "build-vm-image: $dir/disk.qcow2, vmlinuz and initrd.img ready in $((SECONDS - start)) s" >&2
