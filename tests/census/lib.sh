# shellcheck shell=bash
# The census lab: a root, a TLD and two providers on NSD, and the four recursive resolvers of
# Debian (Unbound, BIND named, Knot Resolver kresd, PowerDNS Recursor), each at its own 127/8
# and 2001:db8 address, in a network namespace of its own (GT_CENSUS_NS, default
# gtcensus-PID). Short TTLs, zone data the tests change while the resolvers run. Sourced by
# the scenario scripts; census_up builds it, an EXIT trap tears it down. See README.md here.

CENSUS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CENSUS_NS=${GT_CENSUS_NS:-${GT_LAB_NS:-gtlab}census-$$}
CENSUS_RUN=${GT_CENSUS_RUNDIR:-/run/gluetrace-census/$CENSUS_NS}
GLUETRACE=${GLUETRACE:-$CENSUS_DIR/../../build/gluetrace}

# Servers: role -> "IPv4 IPv6"
declare -A CENSUS_ADDR=(
    [root]="127.54.0.1 2001:db8:54::1"
    [tld]="127.54.1.1 2001:db8:54:1::1"
    [old]="127.54.2.1 2001:db8:54:2::1"
    [new]="127.54.3.1 2001:db8:54:3::1"
    [unbound]="127.54.53.1 2001:db8:54:53::1"
    [bind]="127.54.53.2 2001:db8:54:53::2"
    [kresd]="127.54.53.3 2001:db8:54:53::3"
    [pdns]="127.54.53.4 2001:db8:54:53::4"
    [refuse]="127.54.53.5 2001:db8:54:53::5"
    [silent]="127.54.53.6 2001:db8:54:53::6"
    [floor]="127.54.53.7 2001:db8:54:53::7"
)
CENSUS_RESOLVERS=(unbound bind kresd pdns)
# The TTL of every record of the zones that move (seconds).
CENSUS_TTL=${CENSUS_TTL:-30}

census_log() { printf 'census[%s]: %s\n' "$CENSUS_NS" "$*" >&2; }
census_die() { printf 'census[%s]: ERROR: %s\n' "$CENSUS_NS" "$*" >&2; exit 1; }
census_in() { ip netns exec "$CENSUS_NS" "$@"; }
v4() { local a=(${CENSUS_ADDR[$1]}); echo "${a[0]}"; }
v6() { local a=(${CENSUS_ADDR[$1]}); echo "${a[1]}"; }

# census_dig RESOLVER ARGS...: dig inside the namespace, bounded.
census_dig() { local r=$1; shift; timeout 10 ip netns exec "$CENSUS_NS" dig +time=3 +tries=1 @"$(v4 "$r")" "$@"; }

# census_gt ARGS...: gluetrace inside the namespace, from the census lab's root.
census_gt() { timeout 60 ip netns exec "$CENSUS_NS" "$GLUETRACE" --hints "$CENSUS_RUN/root.hints" "$@"; }

census_down() {
    local pidf
    for pidf in "$CENSUS_RUN"/pids/*.pid; do
        [[ -f $pidf ]] && kill "$(cat "$pidf")" 2>/dev/null
    done
    sleep 0.3
    for pidf in "$CENSUS_RUN"/pids/*.pid; do
        [[ -f $pidf ]] && kill -9 "$(cat "$pidf")" 2>/dev/null
    done
    ip netns del "$CENSUS_NS" 2>/dev/null
    [[ -n ${GT_CENSUS_KEEP:-} ]] || rm -rf "$CENSUS_RUN"
    return 0
}

# --- zones ------------------------------------------------------------------------------
write_root() {
    cat > "$CENSUS_RUN/zones/root.zone" <<Z
\$TTL 86400
.       SOA a.root-servers.lab. hostmaster.lab. 1 3600 600 86400 3600
.       NS  a.root-servers.lab.
a.root-servers.lab. A $(v4 root)
a.root-servers.lab. AAAA $(v6 root)
example. NS ns.nic.example.
ns.nic.example. A $(v4 tld)
ns.nic.example. AAAA $(v6 tld)
lab.    NS a.root-servers.lab.
Z
    cat > "$CENSUS_RUN/zones/lab.zone" <<Z
\$TTL 86400
lab.    SOA a.root-servers.lab. hostmaster.lab. 1 3600 600 86400 3600
lab.    NS a.root-servers.lab.
a.root-servers.lab. A $(v4 root)
a.root-servers.lab. AAAA $(v6 root)
Z
    printf '.  3600000 NS a.root-servers.lab.\na.root-servers.lab. 3600000 A %s\na.root-servers.lab. 3600000 AAAA %s\n' \
        "$(v4 root)" "$(v6 root)" > "$CENSUS_RUN/root.hints"
}

# write_tld SERIAL MOVING(old|new) GHOST(yes|no): the example. zone.
write_tld() {
    local serial=$1 moving=$2 ghost=$3 t=$CENSUS_TTL
    {
        cat <<Z
\$TTL 86400
example. SOA ns.nic.example. hostmaster.example. $serial 3600 600 86400 $t
example. NS ns.nic.example.
ns.nic.example. A $(v4 tld)
ns.nic.example. AAAA $(v6 tld)
stale.example. $t NS ns.stale.example.
ns.stale.example. $t A $(v4 old)
ns.stale.example. $t AAAA $(v6 old)
Z
        if [[ $moving == old ]]; then
            printf 'moving.example. %s NS ns-old.moving.example.\nns-old.moving.example. %s A %s\nns-old.moving.example. %s AAAA %s\n' \
                "$t" "$t" "$(v4 old)" "$t" "$(v6 old)"
        else
            printf 'moving.example. %s NS ns-new.moving.example.\nns-new.moving.example. %s A %s\nns-new.moving.example. %s AAAA %s\n' \
                "$t" "$t" "$(v4 new)" "$t" "$(v6 new)"
        fi
        if [[ $ghost == yes ]]; then
            printf 'ghost.example. %s NS ns.ghost.example.\nns.ghost.example. %s A %s\nns.ghost.example. %s AAAA %s\n' \
                "$t" "$t" "$(v4 old)" "$t" "$(v6 old)"
        fi
    } > "$CENSUS_RUN/zones/example.zone.new"
    mv "$CENSUS_RUN/zones/example.zone.new" "$CENSUS_RUN/zones/example.zone"
}

# The providers' copies of the zones: the old provider keeps serving its data after a move.
write_providers() {
    local t=$CENSUS_TTL w=${CENSUS_WWW_TTL:-$CENSUS_TTL}
    cat > "$CENSUS_RUN/zones/moving.old.zone" <<Z
\$TTL $t
moving.example. SOA ns-old.moving.example. hostmaster.moving.example. 1 3600 600 86400 $t
moving.example. NS ns-old.moving.example.
ns-old.moving.example. A $(v4 old)
ns-old.moving.example. AAAA $(v6 old)
www.moving.example. $w A 192.0.2.1
Z
    cat > "$CENSUS_RUN/zones/moving.new.zone" <<Z
\$TTL $t
moving.example. SOA ns-new.moving.example. hostmaster.moving.example. 1 3600 600 86400 $t
moving.example. NS ns-new.moving.example.
ns-new.moving.example. A $(v4 new)
ns-new.moving.example. AAAA $(v6 new)
www.moving.example. $w A 192.0.2.2
Z
    cat > "$CENSUS_RUN/zones/ghost.zone" <<Z
\$TTL $t
ghost.example. SOA ns.ghost.example. hostmaster.ghost.example. 1 3600 600 86400 $t
ghost.example. NS ns.ghost.example.
ns.ghost.example. A $(v4 old)
ns.ghost.example. AAAA $(v6 old)
www.ghost.example. ${CENSUS_GHOST_WWW_TTL:-$t} A 192.0.2.3
Z
    cat > "$CENSUS_RUN/zones/stale.zone" <<Z
\$TTL $t
stale.example. SOA ns.stale.example. hostmaster.stale.example. 1 3600 600 86400 $t
stale.example. NS ns.stale.example.
ns.stale.example. A $(v4 old)
ns.stale.example. AAAA $(v6 old)
www.stale.example. A 192.0.2.4
Z
}

# start_nsd ROLE ZONE=FILE...
start_nsd() {
    local role=$1 dir=$CENSUS_RUN/roles/$1 a
    shift
    mkdir -p "$dir"
    {
        echo "server:"
        for a in ${CENSUS_ADDR[$role]}; do echo "    ip-address: $a"; done
        cat <<C
    port: 53
    server-count: 1
    username: ""
    chroot: ""
    database: ""
    zonesdir: "$CENSUS_RUN/zones"
    zonelistfile: "$dir/zone.list"
    xfrdfile: "$dir/xfrd.state"
    xfrdir: "$dir"
    pidfile: "$CENSUS_RUN/pids/$role.pid"
    logfile: "$CENSUS_RUN/logs/$role.log"
    verbosity: 1
    reuseport: no
    rrl-ratelimit: 0
remote-control:
    control-enable: no
C
        for z in "$@"; do printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "${z%%=*}" "${z#*=}"; done
    } > "$dir/nsd.conf"
    timeout 10 ip netns exec "$CENSUS_NS" nsd -c "$dir/nsd.conf" \
        || census_die "$role: nsd failed to start (see $CENSUS_RUN/logs/$role.log)"
}

# census_reload ROLE: NSD rereads its zone files.
census_reload() { kill -HUP "$(cat "$CENSUS_RUN/pids/$1.pid")"; sleep 0.5; }

start_unbound() { # ROLE [refuse|floor]
    local role=$1 dir=$CENSUS_RUN/roles/$1 acl=allow a floor=0
    [[ ${2:-} == refuse ]] && acl=refuse
    [[ ${2:-} == floor ]] && floor=300
    mkdir -p "$dir"
    {
        echo "server:"
        for a in ${CENSUS_ADDR[$role]}; do echo "    interface: $a"; done
        cat <<C
    port: 53
    do-ip6: yes
    access-control: 0.0.0.0/0 $acl
    access-control: ::/0 $acl
    access-control: 127.0.0.0/8 $acl
    access-control: ::1 $acl
    root-hints: "$CENSUS_RUN/root.hints"
    do-not-query-localhost: no
    module-config: "iterator"
    username: ""
    chroot: ""
    directory: "$dir"
    pidfile: "$CENSUS_RUN/pids/$role.pid"
    logfile: "$CENSUS_RUN/logs/$role.log"
    use-syslog: no
    verbosity: 1
    num-threads: 1
    so-reuseport: no
    prefetch: no
    serve-expired: yes
    serve-expired-client-timeout: 1800
    ede: yes
    ede-serve-expired: yes
    local-zone: "lab." nodefault
    cache-min-ttl: $floor
remote-control:
    control-enable: yes
    control-use-cert: no
    control-interface: "$dir/control.sock"
C
    } > "$dir/unbound.conf"
    timeout 10 unbound-checkconf "$dir/unbound.conf" >/dev/null || census_die "$role: bad unbound.conf"
    timeout 10 ip netns exec "$CENSUS_NS" unbound -c "$dir/unbound.conf" \
        || census_die "$role: unbound failed to start (see $CENSUS_RUN/logs/$role.log)"
}

start_bind() {
    local dir=$CENSUS_RUN/roles/bind
    mkdir -p "$dir"
    cat > "$dir/named.conf" <<C
options {
    directory "$dir";
    pid-file "$CENSUS_RUN/pids/bind.pid";
    listen-on port 53 { $(v4 bind); };
    listen-on-v6 port 53 { $(v6 bind); };
    recursion yes;
    allow-query { any; };
    allow-recursion { any; };
    allow-query-cache { any; };
    dnssec-validation no;
    empty-zones-enable no;
    notify no;
    stale-answer-enable yes;
    stale-cache-enable yes;
    max-stale-ttl 3600;
    stale-answer-client-timeout 1000;
    resolver-query-timeout 2000;
    querylog no;
};
controls { };
logging { channel l { file "$CENSUS_RUN/logs/bind.log"; severity info; }; category default { l; }; };
zone "." { type hint; file "$CENSUS_RUN/root.hints"; };
C
    timeout 10 ip netns exec "$CENSUS_NS" named -c "$dir/named.conf" -n 1 \
        || census_die "bind: named failed to start (see $CENSUS_RUN/logs/bind.log)"
}

start_kresd() {
    local dir=$CENSUS_RUN/roles/kresd
    mkdir -p "$dir"
    cat > "$dir/kresd.conf" <<C
net.listen('$(v4 kresd)', 53, { kind = 'dns' })
net.listen('$(v6 kresd)', 53, { kind = 'dns' })
modules.load('hints > iterate')
hints.root_file('$CENSUS_RUN/root.hints')
trust_anchors.remove('.')
cache.open(10 * MB, 'lmdb://$dir/cache')
C
    (cd "$dir" && exec ip netns exec "$CENSUS_NS" kresd -n -q -c "$dir/kresd.conf" "$dir" \
        > "$CENSUS_RUN/logs/kresd.log" 2>&1) &
    echo $! > "$CENSUS_RUN/pids/kresd.pid"
}

start_pdns() {
    local dir=$CENSUS_RUN/roles/pdns
    mkdir -p "$dir"
    cat > "$dir/recursor.conf" <<C
local-address=$(v4 pdns),$(v6 pdns)
local-port=53
hint-file=$CENSUS_RUN/root.hints
dont-query=
allow-from=0.0.0.0/0,::/0
dnssec=off
socket-dir=$dir
threads=1
pdns-distributes-queries=no
extended-resolution-errors=yes
daemon=no
write-pid=no
C
    ip netns exec "$CENSUS_NS" pdns_recursor --config-dir="$dir" > "$CENSUS_RUN/logs/pdns.log" 2>&1 &
    echo $! > "$CENSUS_RUN/pids/pdns.pid"
}

# census_up: the namespace, the authoritative servers and the resolvers; fails loudly.
census_up() {
    [[ $(id -u) -eq 0 ]] || census_die "must run as root (network namespaces, port 53)"
    local t
    for t in ip iptables nsd unbound named kresd pdns_recursor dig timeout; do
        command -v "$t" >/dev/null || census_die "$t not installed (scripts/install-deps)"
    done
    [[ -x $GLUETRACE ]] || census_die "gluetrace not built ($GLUETRACE)"
    trap census_down EXIT
    mkdir -p "$CENSUS_RUN"/{zones,pids,logs,roles}
    timeout 10 ip netns add "$CENSUS_NS" || census_die "cannot create namespace $CENSUS_NS"
    census_in ip link set lo up
    census_in sysctl -qw net.ipv6.conf.lo.disable_ipv6=0 net.ipv6.conf.all.disable_ipv6=0
    {
        for r in "${!CENSUS_ADDR[@]}"; do
            echo "addr add $(v4 "$r")/32 dev lo"
            echo "addr add $(v6 "$r")/128 dev lo nodad"
        done
        echo "route add local 2001:db8::/32 dev lo table local"
    } | census_in ip -batch - || census_die "cannot add the addresses"
    census_in iptables -w 5 -A INPUT -d "$(v4 silent)" -j DROP || census_die "iptables"
    census_in ip6tables -w 5 -A INPUT -d "$(v6 silent)" -j DROP || census_die "ip6tables"
    write_root
    write_tld 1 old yes
    write_providers
    start_nsd root .=root.zone lab.=lab.zone
    start_nsd tld example.=example.zone
    start_nsd old moving.example.=moving.old.zone ghost.example.=ghost.zone stale.example.=stale.zone
    start_nsd new moving.example.=moving.new.zone
    start_unbound unbound
    start_unbound refuse refuse
    start_unbound floor floor
    start_bind
    start_kresd
    start_pdns
    # every resolver must resolve before a test starts
    local r ok
    for r in "${CENSUS_RESOLVERS[@]}"; do
        ok=0
        for _ in $(seq 1 40); do
            if census_dig "$r" +short www.stale.example A 2>/dev/null | grep -qx 192.0.2.4; then ok=1; break; fi
            sleep 0.25
        done
        [[ $ok -eq 1 ]] || census_die "$r does not resolve www.stale.example (see $CENSUS_RUN/logs/$r.log)"
    done
    census_log "up: 4 NSD, unbound, named, kresd, pdns_recursor; a refusing, a silent and a TTL-floor resolver"
}

# Assertions.
CENSUS_FAILS=0
CENSUS_CHECKS=0
check() { # DESCRIPTION COMMAND...
    local what=$1
    shift
    CENSUS_CHECKS=$((CENSUS_CHECKS + 1))
    if "$@"; then
        [[ -n ${CENSUS_VERBOSE:-} ]] && echo "ok: $what"
    else
        echo "FAIL: $what"
        CENSUS_FAILS=$((CENSUS_FAILS + 1))
    fi
    return 0
}
census_done() {
    echo "$((CENSUS_CHECKS - CENSUS_FAILS)) passed, $CENSUS_FAILS failed"
    [[ $CENSUS_FAILS -eq 0 ]]
}
