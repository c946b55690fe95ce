# Sourced by scripts/demo.sh and scripts/test.sh: makes sure Debian packages are installed.
#
#   ensure_packages CALLER PACKAGE...
#
# Installed packages are skipped (dpkg-query, no network), so a second run costs milliseconds. As
# root the missing ones are installed with apt-get (an `apt-get update` only when the package lists
# do not know them yet); otherwise the one command to run is printed and the function returns 3
# (environment problem, as the project's exit codes say).
#
# Nothing installed here may start a system service: nginx, docker-registry and prometheus would
# take ports 80, 5000 and 9090 and keep running after the tests, which start their own instances
# on free loopback ports. A policy-rc.d answering 101 ("action forbidden") stops the packages'
# post-install scripts from starting them; it is removed again unless it was there before.

# Prints the packages of "$@" that dpkg does not report as installed.
missing_packages() {
  local package
  for package in "$@"; do
    if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
      printf '%s\n' "$package"
    fi
  done
}

ensure_packages() {
  local caller=$1
  shift
  local missing
  missing=$(missing_packages "$@" | tr '\n' ' ')
  missing=${missing% }
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "$caller: these Debian packages are missing: $missing" >&2
    echo "$caller: install them (as root) with this one command, then run $caller again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends $missing" >&2
    return 3
  fi
  echo "$caller: installing the Debian packages $missing" >&2
  local policy=/usr/sbin/policy-rc.d created_policy=false code=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# Written by %s for the duration of apt-get: start no services.\nexit 101\n' \
      "$caller" >"$policy"
    chmod 755 "$policy"
    created_policy=true
  fi
  # shellcheck disable=SC2086 # $missing is a list of package names
  {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing ||
      { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing; }
  } >&2 || code=$?
  if [ "$created_policy" = true ]; then
    rm -f "$policy"
  fi
  if [ "$code" != 0 ]; then
    echo "$caller: apt-get could not install $missing (exit $code); see its messages above" >&2
    return 3
  fi
}

# Adds the packages that provide Java 17 and Maven to the array named $1 when `java` or `mvn` is
# not on PATH (a JDK or Maven installed another way is used as it is).
add_java_and_maven() {
  local -n list=$1
  command -v java >/dev/null || list+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || list+=(maven)
}
