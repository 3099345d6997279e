# shellcheck shell=bash
# The lab's DNSSEC, sourced by up after lib.sh: keys generated at start-up, zones signed
# in the state directory as signing.tab says (BIND's dnssec-keygen, dnssec-signzone and
# dnssec-dsfromkey from bind9-utils), the lab root's trust anchor, and a validating
# resolver (a second Unbound) that uses it. Nothing here touches the stale-cache resolver.
#
# State: <state>/keys/<zone>/ (key files; "root" for the root), <state>/anchor/ (root.ds,
# root.key in the layout of Debian dns-root-data, delv.anchors for delv -a),
# <state>/validator/ (Unbound configuration and control socket).

LAB_SIGNING=$LAB_DIR/signing.tab
# Milliseconds up spent waiting for DNSSEC work (signing, the validator); up reports it.
LAB_DNSSEC_MS=0
dnssec_clock() { # start | stop
    if [[ $1 == start ]]; then LAB_DNSSEC_T0=$(date +%s%N)
    else LAB_DNSSEC_MS=$((LAB_DNSSEC_MS + ($(date +%s%N) - LAB_DNSSEC_T0) / 1000000)); fi
}

# lab_signing: signing.tab without comments: zone file algorithm keys denial special
lab_signing() { grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$LAB_SIGNING"; }

# dnssec_keydir ZONE: the directory of ZONE's keys.
dnssec_keydir() {
    local z=${1%.}
    echo "$LAB_RUN/keys/${z:-root}"
}

# dnssec_parent ZONE: the zone one label up ("." for a TLD); empty for the root.
dnssec_parent() {
    [[ $1 == . ]] && return 0
    local p=${1#*.}
    echo "${p:-.}"
}

dnssec_algname() {
    case $1 in
        5) echo RSASHA1 ;;
        7) echo NSEC3RSASHA1 ;;
        8) echo RSASHA256 ;;
        13) echo ECDSAP256SHA256 ;;
        14) echo ECDSAP384SHA384 ;;
        15) echo ED25519 ;;
        16) echo ED448 ;;
        *) return 1 ;;
    esac
}

# dnssec_keygen ZONE ALG ROLE: make one key of ZONE; its base name goes into <keydir>/ROLE.
# Roles: ksk, csk and gone (the provider-move key) get the SEP flag (257); zsk, oldzsk not.
dnssec_keygen() {
    local zone=$1 alg=$2 role=$3 dir name opts=()
    dir=$(dnssec_keydir "$zone")
    name=$(dnssec_algname "$alg") || { echo "unsupported algorithm $alg"; return 1; }
    case $role in ksk | csk | gone) opts+=(-f KSK) ;; esac
    [[ $alg == [578] ]] && opts+=(-b 2048)
    timeout 60 dnssec-keygen -q -K "$dir" -a "$name" "${opts[@]}" -n ZONE "$zone" > "$dir/$role.tmp" &&
        mv "$dir/$role.tmp" "$dir/$role"
}

# dnssec_key ZONE ROLE: the key file base name (a path) of ZONE's key ROLE.
dnssec_key() {
    local dir
    dir=$(dnssec_keydir "$1")
    [[ -s $dir/$2 ]] || lab_die "dnssec: no $2 key for $1"
    echo "$dir/$(cat "$dir/$2")"
}

# lab_dnssec_keys_start: generate every key signing.tab needs, in the background and in
# parallel (RSA dominates); lab_dnssec_keys_wait waits for them. Call after the state
# directory exists.
LAB_DNSSEC_KEYGEN_PIDS=()
lab_dnssec_keys_start() {
    local zone file alg keys denial special roles r
    for tool in dnssec-keygen dnssec-signzone dnssec-dsfromkey; do
        command -v "$tool" >/dev/null || lab_die "required tool not found: $tool (package bind9-utils)"
    done
    command -v ldns-signzone >/dev/null || lab_die "required tool not found: ldns-signzone (package ldnsutils)"
    while read -r zone file alg keys denial special; do
        mkdir -p "$(dnssec_keydir "$zone")"
        case $keys in
            ksk+zsk) roles=(ksk zsk) ;;
            csk) roles=(csk) ;;
            *) lab_die "signing.tab: $zone: unknown keys '$keys'" ;;
        esac
        case $special in
            ds-unknown-key) roles+=(gone) ;;
            old-zsk=*) roles+=(oldzsk) ;;
        esac
        for r in "${roles[@]}"; do
            dnssec_keygen "$zone" "$alg" "$r" >>"$LAB_RUN/logs/dnssec.log" 2>&1 &
            LAB_DNSSEC_KEYGEN_PIDS+=($!)
        done
    done < <(lab_signing)
}
lab_dnssec_keys_wait() {
    local p
    for p in "${LAB_DNSSEC_KEYGEN_PIDS[@]}"; do
        wait "$p" || lab_die "dnssec: key generation failed; see $LAB_RUN/logs/dnssec.log"
    done
    LAB_DNSSEC_KEYGEN_PIDS=()
}

# dnssec_publish_ds ZONE KEY [sha1|gost|mixed]: the SHA-256 DS of KEY becomes what ZONE's parent
# publishes (<parent keydir>/children/ZONE.ds, read when the parent is signed). sha1: the
# SHA-1 DS instead (digest type 1). gost: two DS records no validator can use, one of digest
# type 3 (GOST R 34.11-94, which neither OpenSSL 3 nor gluetrace computes) carrying the 32
# bytes of the SHA-256 digest, one of algorithm 253 (PRIVATEDNS) with the SHA-256 digest.
# mixed: the SHA-1 DS and a SHA-256 DS with a wrong digest (BIND uses only the latter).
dnssec_publish_ds() {
    local parent dir
    parent=$(dnssec_parent "$1")
    [[ -n $parent ]] || return 0
    dir=$(dnssec_keydir "$parent")/children
    mkdir -p "$dir"
    case ${3:-} in
        sha1) dnssec-dsfromkey -1 "$2.key" ;;
        # and a second DS with algorithm 253 (PRIVATEDNS), which no validator knows
        gost) dnssec-dsfromkey -2 "$2.key" | awk '{$6 = 3; print; $6 = 2; $5 = 253; print}' ;;
        # mixed: the SHA-1 DS of KEY and a SHA-256 DS of it whose digest's first digit is changed
        mixed) dnssec-dsfromkey -1 "$2.key" &&
            dnssec-dsfromkey -2 "$2.key" | awk '{d = $NF; $NF = (substr(d, 1, 1) == "0" ? "1" : "0") substr(d, 2); print}' ;;
        *) dnssec-dsfromkey -2 "$2.key" ;;
    esac > "$dir/$1ds.tmp" || lab_die "dnssec: dnssec-dsfromkey failed for $2"
    mv "$dir/$1ds.tmp" "$dir/$1ds"
}

# dnssec_corrupt_sig FILE OWNER: flip the first signature character of OWNER's RRSIG over
# its A RRset in the signed FILE (one line per record, dnssec-signzone -O full).
dnssec_corrupt_sig() {
    awk -v o="$2" '$1 == o && $4 == "RRSIG" && $5 == "A" && !done {
        c = substr($13, 1, 1); $13 = (c == "A" ? "B" : "A") substr($13, 2); done = 1 } {print}' \
        "$1" > "$1.tmp" && mv "$1.tmp" "$1"
    grep -q "^$2 .* RRSIG A " "$1" || lab_die "dnssec: no RRSIG A of $2 to corrupt"
}

# dnssec_strip_nsec FILE OWNER: delete OWNER's NSEC record and its RRSIG from the signed FILE.
dnssec_strip_nsec() {
    awk -v o="$2" '!($1 == o && ($4 == "NSEC" || ($4 == "RRSIG" && $5 == "NSEC")))' "$1" \
        > "$1.tmp" && mv "$1.tmp" "$1"
}

# dnssec_signfile ZONE FILE DENIAL SPECIAL KEY...: sign the state copy FILE (unsigned text)
# in place with KEY... (the first is the KSK or CSK), adding the DNSKEY records and the DS
# records of ZONE's children first.
dnssec_signfile() {
    local zone=$1 file=$2 denial=$3 special=$4 ksk=$5 children opts=(-q -O full -N keep)
    # -d: the dsset- file dnssec-signzone writes goes to the key directory, not the cwd
    opts+=(-d "$(dnssec_keydir "$zone")")
    shift 5
    children=$(dnssec_keydir "$zone")/children
    {
        cat "$file"
        echo
        [[ -d $children ]] && cat "$children"/*ds
        cat "$ksk.key"
        for k in "$@"; do cat "$k.key"; done
    } > "$file.in"
    case $denial in
        nsec) ;;
        nsec3) opts+=(-3 - -H 0) ;;
        nsec3-optout) opts+=(-3 - -H 0 -A) ;;
        *) lab_die "signing.tab: $zone: unknown denial '$denial'" ;;
    esac
    if [[ $# -gt 0 ]]; then
        opts+=(-x -k "$ksk")   # the KSK signs only the DNSKEY RRset, the ZSK the rest
    else
        set -- "$ksk"
        opts+=(-z)              # one key (CSK) signs everything
    fi
    # the signing specials of this zone, comma-separated (signing.tab)
    local sp x iter="" ldns_opts=() after=()
    IFS=, read -r -a sp <<< "$special"
    for x in "${sp[@]}"; do
        case $x in
            # -P: the zone is meant not to verify
            expired) opts+=(-P -s 20200101000000 -e 20200201000000) ;;
            # signed 27 days ago for 30 days and never again: 3 days left, a tenth of the window
            expiring) opts+=(-s "$(date -u -d '27 days ago' +%Y%m%d%H%M%S)" -e now+259200) ;;
            # fresh 5-day signatures, as signers that re-sign daily make them
            short-lived)
                opts+=(-e now+432000)
                ldns_opts+=(-e "$(date -u -d '+5 days' +%Y%m%d%H%M%S)") ;;
            iterations=*) iter=${x#iterations=} ;;
            corrupt-sig=* | strip-nsec=*) after+=("$x") ;;
        esac
    done
    if [[ -n $iter ]]; then
        # dnssec-signzone refuses more than 150 iterations; ldns-signzone (ldnsutils) does not
        timeout 30 ldns-signzone -n -t "$iter" "${ldns_opts[@]}" -f "$file.signed" "$file.in" "$@" \
            >>"$LAB_RUN/logs/dnssec.log" 2>&1 ||
            lab_die "dnssec: ldns-signzone failed for $zone ($file); see $LAB_RUN/logs/dnssec.log"
    else
        timeout 30 dnssec-signzone "${opts[@]}" -o "$zone" -f "$file.signed" "$file.in" "$@" \
            >>"$LAB_RUN/logs/dnssec.log" 2>&1 ||
            lab_die "dnssec: dnssec-signzone failed for $zone ($file); see $LAB_RUN/logs/dnssec.log"
    fi
    for x in "${after[@]}"; do
        case $x in
            corrupt-sig=*) dnssec_corrupt_sig "$file.signed" "${x#corrupt-sig=}.$zone" ;;
            strip-nsec=*) dnssec_strip_nsec "$file.signed" "${x#strip-nsec=}.$zone" ;;
        esac
    done
    mv "$file.signed" "$file"
    rm -f "$file.in"
}

# lab_dnssec_sign ZONE: sign ZONE's state copy (which must hold the unsigned text), publish
# its DS for the parent, and for the root write the trust anchor files.
lab_dnssec_sign() {
    local zone file alg keys denial special row
    row=$(lab_signing | awk -v z="$1" '$1 == z')
    [[ -n $row ]] || lab_die "dnssec: $1 is not in signing.tab"
    read -r zone file alg keys denial special <<< "$row"
    local src=$LAB_RUN/zones/$file
    [[ -f $src ]] || lab_die "dnssec: no zone file $file for $zone"
    case $keys in
        csk) set -- "$(dnssec_key "$zone" csk)" ;;
        *) set -- "$(dnssec_key "$zone" ksk)" "$(dnssec_key "$zone" zsk)" ;;
    esac
    if [[ $special != unsigned-ds ]]; then
        dnssec_signfile "$zone" "$src" "$denial" "$special" "$@"
    fi
    if [[ $special == old-zsk=* ]]; then
        [[ -f $LAB_RUN/zones/${special#old-zsk=} ]] || lab_die "dnssec: no zone file ${special#old-zsk=}"
        dnssec_signfile "$zone" "$LAB_RUN/zones/${special#old-zsk=}" "$denial" - \
            "$1" "$(dnssec_key "$zone" oldzsk)"
    fi
    case $special in
        ds-unknown-key) dnssec_publish_ds "$zone" "$(dnssec_key "$zone" gone)" ;;
        ds-sha1) dnssec_publish_ds "$zone" "$1" sha1 ;;
        ds-gost) dnssec_publish_ds "$zone" "$1" gost ;;
        ds-mixed) dnssec_publish_ds "$zone" "$1" mixed ;;
        *) dnssec_publish_ds "$zone" "$1" ;;
    esac
    [[ $zone == . ]] && dnssec_write_anchor "$1"
    return 0
}

# lab_dnssec_resign ZONE: sign ZONE again after up rewrote its state copy (same keys).
lab_dnssec_resign() {
    dnssec_clock start
    lab_dnssec_sign "$1"
    dnssec_clock stop
}

# dnssec_write_anchor KEY: the lab root's trust anchor from its KSK, as DS (root.ds) and
# DNSKEY (root.key) in the layout of Debian dns-root-data, and for delv -a.
dnssec_write_anchor() {
    local ds tag
    mkdir -p "$LAB_ANCHOR_DIR"
    ds=$(dnssec-dsfromkey -2 "$1.key") || lab_die "dnssec: cannot make the root DS"
    read -r _ _ _ tag _ _ _ <<< "$ds"
    printf '%s\n' "$ds" > "$LAB_ANCHOR_DIR/root.ds"
    awk -v tag="$tag" '$3 == "DNSKEY" {b = ""; for (i = 7; i <= NF; i++) b = b $i;
        print ". IN DNSKEY " $4 " " $5 " " $6 " " b " ; keytag " tag}' "$1.key" \
        > "$LAB_ANCHOR_DIR/root.key"
    awk '{printf "trust-anchors {\n    . static-ds %s %s %s \"%s\";\n};\n", $4, $5, $6, $7}' \
        "$LAB_ANCHOR_DIR/root.ds" > "$LAB_ANCHOR_DIR/delv.anchors"
    [[ -s $LAB_ANCHOR_DIR/root.key ]] || lab_die "dnssec: cannot write root.key"
}

# lab_dnssec_sign_all: sign every zone of signing.tab, deepest first (a parent needs its
# children's DS); the zones of one depth are signed in parallel.
lab_dnssec_sign_all() {
    local depth zone last="" pids=() p
    dnssec_clock start
    lab_dnssec_keys_wait
    rm -rf "$LAB_RUN"/keys/*/children
    while read -r depth zone; do
        if [[ $depth != "$last" ]]; then
            for p in "${pids[@]}"; do
                wait "$p" || lab_die "dnssec: signing failed; see $LAB_RUN/logs/dnssec.log"
            done
            pids=() last=$depth
        fi
        lab_dnssec_sign "$zone" &
        pids+=($!)
    done < <(lab_signing | awk '{print ($1 == ".") ? 0 : gsub(/\./, "."), $1}' | sort -rn)
    for p in "${pids[@]}"; do
        wait "$p" || lab_die "dnssec: signing failed; see $LAB_RUN/logs/dnssec.log"
    done
    dnssec_clock stop
}

# lab_dnssec_validator_start: the validating resolver (Unbound: validator + iterator, the lab
# root's anchor and hints), then wait until it validates the root.
lab_dnssec_validator_start() {
    local dir=$LAB_RUN/validator conf i out
    dnssec_clock start
    mkdir -p "$dir"
    conf=$dir/unbound.conf
    cat > "$conf" <<CONF
server:
    interface: $LAB_VALIDATOR4
    interface: $LAB_VALIDATOR6
    port: 53
    do-ip4: yes
    do-ip6: yes
    access-control: 0.0.0.0/0 allow
    access-control: ::/0 allow
    root-hints: "$LAB_RUN/root.hints"
    trust-anchor-file: "$LAB_ANCHOR_DIR/root.ds"
    module-config: "validator iterator"
    do-not-query-localhost: no
    username: ""
    chroot: ""
    directory: "$dir"
    pidfile: "$LAB_RUN/pids/validator.pid"
    logfile: "$LAB_RUN/logs/validator.log"
    use-syslog: no
    verbosity: 1
    val-log-level: 2
    num-threads: 1
    so-reuseport: no
    prefetch: no
    # test. is a special-use name (RFC 6761) Unbound answers locally by default.
    local-zone: "test." nodefault
remote-control:
    control-enable: yes
    control-use-cert: no
    control-interface: "$dir/control.sock"
CONF
    timeout 10 unbound-checkconf "$conf" >/dev/null || lab_die "invalid validator configuration ($conf)"
    timeout 10 ip netns exec "$GT_LAB_NS" unbound -c "$conf" \
        || lab_die "the validator (unbound) failed to start; see $LAB_RUN/logs/validator.log"
    for ((i = 0; i < 30; i++)); do
        out=$(timeout 10 ip netns exec "$GT_LAB_NS" dig +time=2 +tries=1 +dnssec @"$LAB_VALIDATOR4" . SOA 2>/dev/null || true)
        if grep -q 'status: NOERROR' <<< "$out" && grep -q 'flags:.* ad' <<< "$out"; then
            dnssec_clock stop
            return 0
        fi
        sleep 0.1
    done
    lab_die "the validator does not validate the lab root; see $LAB_RUN/logs/validator.log"
}
