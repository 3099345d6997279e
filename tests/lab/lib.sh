# shellcheck shell=bash
# Common definitions of the gluetrace DNS lab; sourced by up, down, exec and the tests.

GT_LAB_NS=${GT_LAB_NS:-gtlab}
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Runtime state (generated configs, zones, pid files, logs): never in the repository.
if [[ -z ${GT_LAB_RUNDIR:-} ]]; then
    if [[ -d /run && -w /run ]]; then
        GT_LAB_RUNDIR=/run/gluetrace-lab/$GT_LAB_NS
    else
        GT_LAB_RUNDIR=${TMPDIR:-/tmp}/gluetrace-lab/$GT_LAB_NS
    fi
fi
LAB_RUN=$GT_LAB_RUNDIR
LAB_HINTS=$LAB_DIR/root.hints

# The lab resolver (Unbound) and the namespace's resolv.conf target.
LAB_RESOLVER4=127.53.53.53
LAB_RESOLVER6=2001:db8:53:53::53
# The lab's validating resolver (Unbound with the lab root's trust anchor; dnssec.sh).
LAB_VALIDATOR4=127.53.53.54
LAB_VALIDATOR6=2001:db8:53:53::54
# Where up writes the lab root's trust anchor (root.ds, root.key: dns-root-data layout).
LAB_ANCHOR_DIR=$LAB_RUN/anchor
# Scenario 4: where the stale resolver cache points ns1.stale.test.
LAB_PARKING4=127.53.104.99
LAB_PARKING6=2001:db8:53:104::99
LAB_STALE4=127.53.104.1
LAB_STALE6=2001:db8:53:104::1
# Scenario 7: on the loopback but nobody listens / every packet dropped.
LAB_SILENT_ADDRS=(127.53.107.2 2001:db8:53:107::2)
LAB_DROP_ADDRS=(127.53.107.3 2001:db8:53:107::3)

lab_log() { printf 'lab[%s]: %s\n' "$GT_LAB_NS" "$*" >&2; }
lab_die() { printf 'lab[%s]: ERROR: %s\n' "$GT_LAB_NS" "$*" >&2; exit 1; }

lab_need_root() {
    [[ $(id -u) -eq 0 ]] || lab_die "must run as root (network namespaces, port 53)"
}

# lab_in CMD...: run CMD inside the namespace.
lab_in() { ip netns exec "$GT_LAB_NS" "$@"; }

# lab_servers: print the server table without comments, one server per line:
# role software addresses zones
lab_servers() { grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$LAB_DIR/servers.tab"; }

# lab_dig ARGS...: dig inside the namespace, bounded, no retries, no recursion.
lab_dig() { timeout 10 ip netns exec "$GT_LAB_NS" dig +time=1 +tries=1 +norec "$@"; }

lab_is_up() { [[ -f $LAB_RUN/up.done ]] && ip netns list | grep -qw -- "$GT_LAB_NS"; }

# lab_prog NAME: path of the lab's helper program NAME (delay, oobresp). The build
# passes GT_LAB_BINDIR; without it the program is compiled into the state directory.
lab_prog() {
    local name=$1 bin libs=""
    if [[ -n ${GT_LAB_BINDIR:-} ]]; then
        bin=$GT_LAB_BINDIR/$name
        [[ -x $bin ]] || lab_die "$name not found in GT_LAB_BINDIR ($GT_LAB_BINDIR); build the project first"
        echo "$bin"; return 0
    fi
    mkdir -p "$LAB_RUN/bin"
    bin=$LAB_RUN/bin/$name
    [[ $name == delay ]] && libs=-lnetfilter_queue
    if [[ ! -x $bin || $LAB_DIR/$name.c -nt $bin ]]; then
        timeout 60 "${CC:-cc}" -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -o "$bin" "$LAB_DIR/$name.c" $libs >&2 \
            || lab_die "cannot build $name.c${libs:+ (needs libnetfilter-queue-dev)}"
    fi
    echo "$bin"
}
