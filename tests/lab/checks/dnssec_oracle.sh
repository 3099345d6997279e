#!/usr/bin/env bash
# lab.dnssec_oracle: the signed lab is what dnssec.tab says. First the facts each scenario is
# built from (anchor = served root KSK, algorithms, the provider move's DS, expired
# signatures, the unsigned zone, the two DNSKEY sets of rollover.example., test.'s opt-out,
# DO=0 referrals without DNSSEC records); then every name of dnssec.tab asked of the lab's
# validating resolver (Unbound with the lab anchor) and of delv (BIND's validator, same
# anchor, fetching through the validator with CD=1), each verdict against the expected one.
# Independent of gluetrace's engine (its anchor reader is checked on the anchor files).
# A name that is a CNAME is judged as a chain: by the validator as a whole (AD, SERVFAIL),
# by delv link by link (the weakest link).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }
tab=$LAB_DIR/dnssec.tab
fails=0 checks=0

check() { # DESCRIPTION COMMAND...: one assertion
    local desc=$1
    shift
    checks=$((checks + 1))
    if "$@"; then
        [[ -n ${LAB_VERBOSE:-} ]] && echo "ok:   $desc"
        return 0
    fi
    fails=$((fails + 1))
    echo "FAIL: $desc"
    return 1
}
# adig ADDR ARGS...: DO=1, no recursion, one line per record (blanks squeezed), no comments
adig() { local a=$1; shift; lab_dig +dnssec +nocomments +nostats +noquestion +nocmd @"$a" "$@" 2>/dev/null | tr -s ' \t' ' '; }
# tags ADDR ZONE: the key tags of the DNSKEY RRset ADDR serves for ZONE, sorted
tags() { lab_dig +dnssec +multi @"$1" "$2" DNSKEY 2>/dev/null | grep -o 'key id = [0-9]*' | awk '{print $4}' | sort -n | tr '\n' ' '; }
has() { grep -Eq -- "$2" <<< "$1"; }
hasnt() { ! grep -Eq -- "$2" <<< "$1"; }

# --- the trust anchor is the KSK the lab root serves ----------------------------------------
for f in root.ds root.key; do check "anchor file $f exists" test -s "$LAB_ANCHOR_DIR/$f"; done
anchor_ds=$(cat "$LAB_ANCHOR_DIR/root.ds" 2>/dev/null)
check "root.ds is one '. IN DS TAG 8 2 HEX' line (got '$anchor_ds')" \
    has "$anchor_ds" '^\. IN DS [0-9]+ 8 2 [0-9A-F]{64}$'
check "root.key is one '. IN DNSKEY 257 3 8 ... ; keytag N' line" \
    has "$(cat "$LAB_ANCHOR_DIR/root.key" 2>/dev/null)" '^\. IN DNSKEY 257 3 8 [A-Za-z0-9+/=]+ ; keytag [0-9]+$'
for r in 127.53.0.1 2001:db8:53::2; do
    served=$(adig "$r" . DNSKEY | awk '$4 == "DNSKEY" && $5 == 257' | dnssec-dsfromkey -2 -f - . 2>/dev/null \
        | awk '{print ". IN DS", $4, $5, $6, $7}')
    check "the KSK root $r serves has the anchor's DS" [ "$served" == "$anchor_ds" ]
done

# gluetrace's own anchor reader (gt_anchor_parse, through tests/dnssec's driver) takes both
# files, and the DS is the DNSKEY's.
if [[ -x ${GT_DNSSEC_ORACLE:-} ]]; then
    check "gt_anchor_parse reads root.ds and root.key, and the DS matches the key" \
        "$GT_DNSSEC_ORACLE" anchor "$LAB_ANCHOR_DIR/root.ds" "$LAB_ANCHOR_DIR/root.key"
else
    check "GT_DNSSEC_ORACLE is set to the dnssec_oracle driver (tests/dnssec)" false
fi

# --- algorithms of the secure chain -----------------------------------------------------------
alg() { adig "$1" "$2" DNSKEY | awk '$4 == "DNSKEY" {print $7}' | sort -u | tr '\n' ' '; }
check "the root is signed with algorithm 8" [ "$(alg 127.53.0.1 .)" == "8 " ]
check "example. is signed with algorithm 13" [ "$(alg 127.53.2.2 example.)" == "13 " ]
check "test. is signed with algorithm 13 on NSD and Knot" \
    [ "$(alg 127.53.1.1 test.)$(alg 127.53.1.2 test.)" == "13 13 " ]
check "secure.example. is signed with algorithm 15" [ "$(alg 127.53.140.1 secure.example.)" == "15 " ]

# --- provider move: the DS at example. matches no key of moved.example. ----------------------
ds_tag=$(adig 127.53.2.1 moved.example. DS | awk '$4 == "DS" {print $5}')
moved_tags=$(tags 127.53.141.1 moved.example.)
check "example. has a DS for moved.example. (tag '$ds_tag')" [ -n "$ds_tag" ]
check "moved.example. serves keys ($moved_tags) none of which has tag $ds_tag" \
    [ -n "$moved_tags" -a "${moved_tags/$ds_tag /}" == "$moved_tags" ]

# --- expired.example.: signatures expired --------------------------------------------------------
exp=$(adig 127.53.142.1 www.expired.example. A | awk '$1 == "www.expired.example." && $4 == "RRSIG" && $5 == "A" {print $9}')
check "www.expired.example. A is signed, expiration $exp is in the past" \
    [ -n "$exp" -a "$exp" \< "$(date -u +%Y%m%d%H%M%S)" ]

# --- unsigned.example.: DS at the parent, nothing signed at the child --------------------------
check "example. has a DS for unsigned.example." has "$(adig 127.53.2.2 unsigned.example. DS)" ' DS [0-9]+ 13 2 '
check "unsigned.example. serves no DNSKEY and no RRSIG" \
    hasnt "$(adig 127.53.143.1 unsigned.example. DNSKEY; adig 127.53.143.1 www.unsigned.example. A)" ' (DNSKEY|RRSIG) '

# --- rollover.example.: the two servers serve different DNSKEY sets ---------------------------
t1=$(tags 127.53.144.1 rollover.example.) t2=$(tags 127.53.144.2 rollover.example.)
check "ns1 and ns2 of rollover.example. serve different DNSKEY sets ('$t1' vs '$t2')" \
    [ -n "$t1" -a -n "$t2" -a "$t1" != "$t2" ]
sig2=$(adig 127.53.144.2 www.rollover.example. A | awk '$1 == "www.rollover.example." && $4 == "RRSIG" && $5 == "A" {print $11}')
check "ns2 signs with a ZSK ($sig2) that ns1 does not serve" \
    [ -n "$sig2" -a "${t1/$sig2 /}" == "$t1" -a "${t2/$sig2 /}" != "$t2" ]

# --- test.: NSEC3 opt-out; the insecure delegation has no NSEC3 of its own ------------------
optout_ref() { hasnt "$1" " DS " && has "$1" " NSEC3 1 1 0 - "; }
for t in 127.53.1.1 127.53.1.2; do
    ref=$(adig $t www.normal.test. A)
    check "test. ($t) DO=1 referral to normal.test.: no DS, an opt-out NSEC3 (flags 1)" optout_ref "$ref"
done

# --- the finding scenarios: expiring, SHA-1, GOST DS, iterations, corrupted RRSIG, no NSEC ----
read -r exp inc <<< "$(adig 127.53.150.1 www.expiring.example. A | awk '$4 == "RRSIG" && $5 == "A" {print $9, $10}')"
check "www.expiring.example. A expires within 7 days ($exp) and was signed over 20 days ago ($inc)" \
    [ -n "$exp" -a "$exp" \> "$(date -u +%Y%m%d%H%M%S)" -a "$exp" \< "$(date -u -d '+7 days' +%Y%m%d%H%M%S)" \
      -a "$inc" \< "$(date -u -d '20 days ago' +%Y%m%d%H%M%S)" ]
check "sha1.example. is signed with algorithm 7" [ "$(alg 127.53.151.1 sha1.example.)" == "7 " ]
dsd() { adig 127.53.2.1 "$1" DS | awk '$4 == "DS" {print $7}' | sort -u | tr '\n' ' '; }
check "example.'s DS set for sha1.example. is SHA-1 only" [ "$(dsd sha1.example.)" == "1 " ]
check "example.'s DS set for gostds.example. is digest type 3 (GOST) and 2" [ "$(dsd gostds.example.)" == "2 3 " ]
check "example.'s DS set for digest.example. is SHA-1 and SHA-256" [ "$(dsd digest.example.)" == "1 2 " ]
check "example.'s DS of digest type 2 for gostds.example. is of algorithm 253" \
    [ "$(adig 127.53.2.1 gostds.example. DS | awk '$4 == "DS" && $7 == 2 {print $6}')" == 253 ]
check "iter.example.'s NSEC3 has 200 iterations" \
    has "$(adig 127.53.153.1 nope.iter.example. A)" ' NSEC3 1 0 200 '
check "www.badsig.example. A is served with an RRSIG (corrupted, so the validator fails it)" \
    has "$(adig 127.53.154.1 www.badsig.example. A)" ' RRSIG A 13 '
ref=$(adig 127.53.155.1 www.sub.denial.example. A)
check "denial.example.'s referral to sub.denial.example.: NS, no DS, no NSEC" \
    eval 'has "$ref" " NS ns1.sub.denial.example." && hasnt "$ref" " (DS|NSEC|NSEC3) "'
check "the wildcard answer host.wild.denial.example. carries an NSEC" \
    has "$(adig 127.53.155.1 host.wild.denial.example. A)" ' NSEC '

# --- DO=0 replies carry no DNSSEC records ---------------------------------------------------
do_bit_rule() { has "$1" " (RRSIG|DS|NSEC3?) " && hasnt "$2" " (RRSIG|DS|NSEC3?|DNSKEY) "; }
for q in "127.53.0.1 www.secure.example. A" "127.53.2.1 www.secure.example. A" "127.53.1.2 nope.test. A" \
         "127.53.140.1 nope.secure.example. A"; do
    read -r a n t <<< "$q"
    do0=$(lab_dig +nocomments +nostats +noquestion +nocmd @"$a" "$n" "$t" 2>/dev/null | tr -s ' \t' ' ')
    do1=$(adig "$a" "$n" "$t")
    check "@$a $n $t: DNSSEC records with DO=1, none with DO=0" do_bit_rule "$do1" "$do0"
done

# --- the verdicts ---------------------------------------------------------------------------------
# unbound_verdict NAME TYPE: "VERDICT RCODE" from the validating resolver
unbound_verdict() {
    local out st cd
    out=$(timeout 30 ip netns exec "$GT_LAB_NS" dig +time=5 +tries=2 +dnssec @"$LAB_VALIDATOR4" "$1" "$2" 2>&1)
    st=$(grep -o 'status: [A-Z]*' <<< "$out" | awk '{print $2}')
    case $st in
        NOERROR | NXDOMAIN)
            if grep -Eq '^;; flags:[a-z ]* ad[ ;]' <<< "$out"; then echo "secure $st"; else echo "insecure $st"; fi ;;
        SERVFAIL)
            cd=$(timeout 30 ip netns exec "$GT_LAB_NS" dig +time=5 +tries=2 +dnssec +cd @"$LAB_VALIDATOR4" "$1" "$2" 2>&1)
            st=$(grep -o 'status: [A-Z]*' <<< "$cd" | awk '{print $2}')
            # bogus: the data (or the alias leading to it) is there when checking is disabled
            if [[ $st == NXDOMAIN ]] || awk -v n="$1" -v t="$2" '$1 == n && ($4 == t || $4 == "CNAME") {f = 1} END {exit !f}' <<< "$cd"; then
                echo "bogus $st"
            else
                echo "servfail ${st:-none}"
            fi ;;
        *) echo "error ${st:-none}" ;;
    esac
}
# delv_verdict NAME TYPE: delv's verdict (it validates what the validator returns with CD=1).
# delv judges each RRset of a CNAME chain on its own line: the weakest link is the verdict
# (a failed link, then an unsigned one, then all validated).
delv_verdict() {
    local out
    out=$(timeout 30 ip netns exec "$GT_LAB_NS" delv -a "$LAB_ANCHOR_DIR/delv.anchors" +cdflag \
        @"$LAB_VALIDATOR4" "$1" "$2" 2>&1)
    if grep -Eq '^;; resolution failed: (broken trust chain|no valid (RRSIG|DS|KEY)|insecurity proof failed|RRSIG failed to verify|no valid NSEC)' <<< "$out"; then echo bogus
    elif grep -Eq '^; (negative response, )?unsigned answer' <<< "$out"; then echo insecure
    elif grep -Eq '^; (negative response, )?fully validated' <<< "$out"; then echo secure
    else echo error; fi
}

# --- glueless delegations through signed zones (sub-traces) --------------------------------
# example. refers viasec.example. and viaexpired.example. to an NS name it has no address for;
# the only address of ns2.expired.example. is in the bogus expired.example., and the validator
# still answers www.viaexpired.example. with AD (it does not validate server addresses).
for z in viasec.example. viaexpired.example.; do
    ref=$(adig 127.53.2.1 "www.$z" A)
    check "example. refers www.$z to ns2 with a DS and without glue" \
        eval 'has "$ref" "^$z [0-9]+ IN NS ns2\." && has "$ref" "^$z [0-9]+ IN DS " && hasnt "$ref" "^ns2\.[a-z.]+ [0-9]+ IN (A|AAAA) "'
done
check "the validator finds ns2.expired.example. A bogus" [ "$(unbound_verdict ns2.expired.example. A)" == "bogus NOERROR" ]
check "the validator finds ns2.target.example. A secure" [ "$(unbound_verdict ns2.target.example. A)" == "secure NOERROR" ]

rows=()
printf '%-27s | %-5s | %-17s | %-17s | %s\n' name type expected validator delv
printf '%s\n' "----------------------------+-------+-------------------+-------------------+----------"
while read -r name type verdict rcode delv _; do
    [[ -z $name || $name == \#* ]] && continue
    want="$verdict $rcode"
    got=$(unbound_verdict "$name" "$type")
    [[ $delv == = ]] && delv=$verdict
    dgot=$(delv_verdict "$name" "$type")
    printf '%-27s | %-5s | %-17s | %-17s | %s\n' "$name" "$type" "$want" "$got" \
        "$dgot$([[ $dgot != "$delv" ]] && echo " (expected $delv)")"
    rows+=("$name $type: validator '$got', expected '$want'")
    check "$name $type: validator says '$got', expected '$want'" [ "$got" == "$want" ]
    check "$name $type: delv says '$dgot', expected '$delv'" [ "$dgot" == "$delv" ]
done < "$tab"
check "dnssec.tab has at least 10 names (got ${#rows[@]})" [ ${#rows[@]} -ge 10 ]

if [[ $fails -gt 0 ]]; then echo "lab.dnssec_oracle: $fails of $checks checks failed"; exit 1; fi
echo "lab.dnssec_oracle: all $checks checks passed"
