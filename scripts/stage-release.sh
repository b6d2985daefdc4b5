#!/usr/bin/env bash
# Stages a release of netns-lab as a signed Maven repository in DIR:
#   scripts/stage-release.sh DIR
# Builds the project's version without -SNAPSHOT (or RELEASE_VERSION) from a copy of this working tree
# with the release and sign profiles, and deploys netnslab-parent, netnslab-core and netnslab-junit5
# (jars, -sources and -javadoc jars, poms; every file with .md5, .sha1 and .asc) to file:DIR.
# Signing: GPG_KEYNAME names your key (GPG_PASSPHRASE its passphrase, if any). Without it a throwaway
# key is generated for this run in a temporary GNUPGHOME; its public key is left at DIR/KEYS either way.
# Nothing is installed into a local Maven repository (maven.install.skip).
set -euo pipefail

usage() { echo "usage: $0 DIR   (DIR: a new or empty directory for the staged Maven repository)" >&2; exit 64; }
[ $# -eq 1 ] || usage
case "$1" in -*) usage ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p -- "$1"
dir=$(cd -- "$1" && pwd)
if [ -n "$(ls -A -- "$dir")" ]; then
  echo "stage-release: $dir is not empty; give a new or empty directory" >&2
  exit 1
fi

snapshot=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)
version=${RELEASE_VERSION:-${snapshot%-SNAPSHOT}}
if ! [[ "$version" =~ ^[0-9]+(\.[0-9]+)*([.-][A-Za-z0-9]+)*$ ]] || [[ "$version" == *SNAPSHOT ]]; then
  echo "stage-release: '$version' is not a release version (e.g. 0.1.0)" >&2
  exit 1
fi

work=$(mktemp -d)
cleanup() { rm -rf -- "$work"; }
trap cleanup EXIT

# A copy of the working tree (tracked and new files, not what .gitignore ignores), at the release version.
(cd "$root" && git ls-files -z -c -o --exclude-standard) | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$work"
chmod +x "$work/mvnw"
while IFS= read -r -d '' pom; do
  sed -i "s:<version>${snapshot}</version>:<version>${version}</version>:g" "$pom"
done < <(find "$work" -name pom.xml -not -path "$work/it/*" -print0)

if [ -n "${GPG_KEYNAME:-}" ]; then
  key=$GPG_KEYNAME
  export MAVEN_GPG_PASSPHRASE=${GPG_PASSPHRASE:-}
else
  export GNUPGHOME="$work/gnupg"
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-gen-key \
      "netns-lab staging key (throwaway, $(date -u +%Y-%m-%dT%H:%MZ)) <staging@netnslab.invalid>" ed25519 sign 7d
  key=$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')
  echo "stage-release: signing with the throwaway key $key" >&2
fi
gpg --batch --armor --export "$key" > "$dir/KEYS"
if ! [ -s "$dir/KEYS" ]; then
  echo "stage-release: no public key for '$key' in the keyring; set GPG_KEYNAME to a key you have" >&2
  exit 1
fi

(cd "$work" && ./mvnw -B -ntp -q -Prelease,sign -DskipTests -Dmaven.install.skip=true \
    -Dgpg.keyname="$key" -DaltDeploymentRepository="staged::file://$dir" \
    -Daether.checksums.omitChecksumsForExtensions=.none \
    -pl core,junit-extension -am deploy)

echo "stage-release: netns-lab $version staged in $dir (public key: $dir/KEYS)"
(cd "$dir" && find . -type f -not -name '*.md5' -not -name '*.sha1' | sort)
