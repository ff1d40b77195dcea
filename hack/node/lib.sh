# Shell helpers shared by the node scripts (sourced, not run).

# Runs an apt-get command; when it fails (a fresh machine has no package lists, stale lists name
# files the mirror no longer has) refreshes the lists once and tries again.
apt_retrying() {
  "$@" >&2 && return 0
  echo "node: refreshing the apt package lists and retrying" >&2
  apt-get update -qq >&2
  "$@" >&2
}

# Makes sure each command exists, installing the Debian package that provides it when running
# as root (CI does); otherwise names the exact apt-get line and fails.
# Usage: need_commands command:package ...
need_commands() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "node: missing ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
  echo "node: installing Debian packages ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt_retrying apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Downloads .deb files (package or package=version) into a folder, without installing them.
download_debs() {
  local dir="$1"
  shift
  mkdir -p "$dir"
  # The _apt sandbox user could not write into a root-owned scratch folder.
  (cd "$dir" && apt_retrying apt-get download -qq -o APT::Sandbox::User=root "$@")
}

# package=version for each package, the version `apt-get install` would pick now (one apt-cache call:
# each costs about a second).
candidate_versions() {
  apt-cache policy "$@" | awk '/^[^ ]/ { sub(":$", ""); name = $1 } /Candidate:/ { print name "=" $2 }'
}

# A short, stable hash of stdin, for cache keys.
short_hash() {
  sha256sum | cut -c1-16
}
