#!/usr/bin/env bash
# lab.servers: every lab server answers as its scenario designs it (dig in the
# namespace, no recursion). Independent of gluetrace.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

FAILS=0
CHECKS=0
lab_is_up || { echo "FAIL: lab $GT_LAB_NS is not up"; exit 1; }

# q ADDR QNAME QTYPE [DIG-OPTION...] -- CHECK...: one query, then checks on the reply:
#   status=RCODE  aa  noaa  tc  notc  ans=REGEX  auth=REGEX  add=REGEX  noadd=REGEX
#   nreply (no reply at all)  addcount=N
# REGEX is matched (grep -E) against the section's lines with runs of blanks squeezed.
q() {
    local addr=$1 qname=$2 qtype=$3 out flags sec c desc opts=()
    shift 3
    while [[ $# -gt 0 && $1 != -- ]]; do opts+=("$1"); shift; done
    shift
    out=$(lab_dig "${opts[@]}" @"$addr" "$qname" "$qtype" 2>&1 | tr -s ' \t' ' ')
    flags=$(grep -m1 '^;; flags:' <<< "$out")
    for c in "$@"; do
        desc="@$addr $qname/$qtype ${opts[*]} -> $c"
        CHECKS=$((CHECKS + 1))
        case $c in
            status=*) grep -q "status: ${c#status=}," <<< "$out" ;;
            aa) [[ $flags =~ flags:[a-z\ ]*\ aa[\ \;] ]] ;;
            noaa) [[ -n $flags && ! $flags =~ flags:[a-z\ ]*\ aa[\ \;] ]] ;;
            tc) [[ $flags =~ flags:[a-z\ ]*\ tc[\ \;] ]] ;;
            notc) [[ -n $flags && ! $flags =~ flags:[a-z\ ]*\ tc[\ \;] ]] ;;
            nreply) ! grep -q '^;; Got answer' <<< "$out" ;;
            addcount=*) grep -q "ADDITIONAL: ${c#addcount=}\$" <<< "$flags" ;;
            ans=*|auth=*|add=*|noadd=*)
                case ${c%%=*} in
                    ans) sec=ANSWER ;; auth) sec=AUTHORITY ;; *) sec=ADDITIONAL ;;
                esac
                if [[ $c == noadd=* ]]; then
                    ! awk -v s=";; $sec SECTION:" '$0 == s {on=1; next} /^$/ {on=0} on' <<< "$out" | grep -Eq -- "${c#*=}"
                else
                    awk -v s=";; $sec SECTION:" '$0 == s {on=1; next} /^$/ {on=0} on' <<< "$out" | grep -Eq -- "${c#*=}"
                fi ;;
            *) echo "servers.sh: bad check $c"; exit 2 ;;
        esac
        if [[ $? -ne 0 ]]; then
            FAILS=$((FAILS + 1))
            echo "FAIL: $desc"
            [[ -n ${LAB_VERBOSE:-} ]] && printf '%s\n' "$out" | sed 's/^/    /'
        fi
    done
}

# Every server is authoritative for each of its zones on each of its addresses.
while read -r role software alist zlist; do
    IFS=, read -r -a a <<< "$alist"; IFS=, read -r -a z <<< "$zlist"
    for x in "${a[@]}"; do
        for y in "${z[@]}"; do q "$x" "${y%%=*}" SOA -- status=NOERROR aa "ans=SOA"; done
    done
done < <(lab_servers)

# Roots and TLDs: referrals with in-domain glue, v4 and v6.
for r in 127.53.0.1 2001:db8:53::2; do
    q $r www.normal.test A -- status=NOERROR noaa "auth=^test\. .* NS ns1\.nic\.test\.$" "add=^ns2\.nic\.test\. .* AAAA 2001:db8:53:1::2$"
    q $r . NS -- aa "ans=NS a\.root-servers\.test\.$" "add=^b\.root-servers\.test\. .* A 127\.53\.0\.2$"
done
for t in 127.53.1.1 127.53.1.2 2001:db8:53:1::1 2001:db8:53:1::2; do
    # 1 normal
    q $t www.normal.test A -- noaa "auth=NS ns2\.normal\.test\.$" "add=^ns1\.normal\.test\. .* A 127\.53\.101\.1$" "add=AAAA 2001:db8:53:101::2$"
    # 2 glueless and 5 NS-is-CNAME: no glue possible
    q $t www.glueless.test A -- noaa "auth=NS ns1\.dns-host\.example\.$" addcount=1
    q $t www.nscname.test A -- noaa "auth=NS alias\.dns-host\.example\.$" addcount=1
    # 3 sibling glue
    q $t www.sibling.test A -- noaa "auth=^sibling\.test\. .* NS ns\.sibling-host\.test\.$" "add=^ns\.sibling-host\.test\. .* A 127\.53\.103\.1$"
    # 4 stale: the registry's glue is right again
    q $t www.stale.test A -- noaa "add=^ns1\.stale\.test\. .* A $LAB_STALE4$" "add=AAAA $LAB_STALE6$" "noadd=$LAB_PARKING4"
    # 9 cycle: no glue
    q $t www.cycle.test A -- noaa "auth=NS ns\.cycle\.example\.$" addcount=1
    # 10 mismatch: the parent's view
    q $t www.mismatch.test A -- noaa "auth=NS ns2\.mismatch\.test\.$" "add=^ns1\.mismatch\.test\. .* A 127\.53\.110\.1$"
    # 12 deep
    q $t www.l1.l2.l3.l4.deep.test A -- noaa "auth=^deep\.test\. .* NS ns\.deep\.test\.$" "add=A 127\.53\.112\.1$"
done
for t in 127.53.2.1 2001:db8:53:2::2; do
    q $t ns1.dns-host.example A -- noaa "auth=NS ns2\.dns-host\.example\.$" "add=A 127\.53\.102\.1$"
    q $t www.cycle.example A -- noaa "auth=NS ns\.cycle\.test\.$" addcount=1
    q $t alias.chain.example A -- noaa "add=^ns\.chain\.example\. .* A 127\.53\.112\.10$"
done
# 8 truncation: without EDNS NSD drops glue and does not set TC; Knot sets TC.
q 127.53.1.1 www.big.test A +noedns +ignore -- status=NOERROR notc "auth=NS ns13\.big\.test\.$" "noadd=AAAA 2001:db8:53:108::d$"
q 127.53.1.2 www.big.test A +noedns +ignore -- tc
q 127.53.1.2 www.big.test A +noedns +tcp -- notc addcount=26
q 127.53.1.1 www.big.test A -- notc addcount=27
# every glue address of big.test (A and AAAA) reaches the big server
for a in $(lab_dig @127.53.1.1 www.big.test A | awk '$1 ~ /^ns[0-9]+\.big\.test\.$/ && ($4 == "A" || $4 == "AAAA") {print $5}'); do
    q "$a" www.big.test A -- aa "ans=A 192\.0\.2\.8$"
done

# Second-level servers and their answers.
for a in 127.53.101.1 127.53.101.2 2001:db8:53:101::1 2001:db8:53:101::2; do
    q $a www.normal.test A -- aa "ans=A 192\.0\.2\.1$"
    q $a www.normal.test AAAA -- aa "ans=AAAA 2001:db8:1::1$"
done
for a in 127.53.102.1 2001:db8:53:102::2; do
    q $a www.glueless.test A -- aa "ans=A 192\.0\.2\.2$"
    q $a alias.dns-host.example A -- aa "ans=CNAME ns1\.dns-host\.example\.$"
    q $a www.nscname.test A -- aa "ans=A 192\.0\.2\.5$"
    q $a www.sub.oob.test A -- aa "ans=A 192\.0\.2\.11$"
done
q 127.53.103.1 www.sibling.test A -- aa "ans=A 192\.0\.2\.3$"
# 3b stale sibling glue: the child's view of old.sibling-host.test, and both addresses answer
q 127.53.103.1 old.sibling-host.test A -- aa "ans=A 127\.53\.103\.12$"
for a in 127.53.103.2 127.53.103.12; do q $a www.sibmis.test A -- aa "ans=A 192\.0\.2\.33$"; done
# 4 stale: owner and parking server disagree, both authoritatively.
for a in "$LAB_STALE4" "$LAB_STALE6"; do q "$a" www.stale.test A -- aa "ans=A 192\.0\.2\.4$"; done
for a in "$LAB_PARKING4" "$LAB_PARKING6"; do
    q "$a" www.stale.test A -- aa "ans=A 192\.0\.2\.99$"
    q "$a" ns1.stale.test A -- aa "ans=A $LAB_PARKING4$"
done
# 6 lame
q 127.53.106.1 www.lame.test A -- aa "ans=A 192\.0\.2\.6$"
for a in 127.53.106.2 2001:db8:53:106::2; do q $a www.lame.test A -- status=REFUSED noaa; done
for a in 127.53.106.3 2001:db8:53:106::3; do q $a www.lame.test A -- status=NOERROR noaa "auth=^test\. .* NS ns1\.nic\.test\.$"; done
# 7 unreachable
q 127.53.107.1 www.unreach.test A -- aa "ans=A 192\.0\.2\.7$"
for a in "${LAB_SILENT_ADDRS[@]}" "${LAB_DROP_ADDRS[@]}"; do q "$a" www.unreach.test A -- nreply; done
CHECKS=$((CHECKS + 1))
refusal=$(lab_dig @"${LAB_SILENT_ADDRS[0]}" www.unreach.test A 2>&1)
if ! grep -q "connection refused" <<< "$refusal"; then
    FAILS=$((FAILS + 1)); echo "FAIL: @${LAB_SILENT_ADDRS[0]} should refuse the connection (nothing listening)"
fi
# 10 mismatch: the child's view
for a in 127.53.110.1 127.53.110.11 127.53.110.2 127.53.110.3; do
    q $a www.mismatch.test A -- aa "ans=A 192\.0\.2\.10$"
done
q 127.53.110.2 mismatch.test NS -- aa "ans=NS ns3\.mismatch\.test\.$" "ans=NS ns1\.mismatch\.test\.$"
q 127.53.110.2 ns1.mismatch.test A -- aa "ans=A 127\.53\.110\.11$"
# 11 out-of-bailiwick glue
for a in 127.53.111.1 2001:db8:53:111::1; do
    q $a www.sub.oob.test A -- status=NOERROR noaa "auth=^sub\.oob\.test\. .* NS ns1\.dns-host\.example\.$" \
        "add=^ns1\.dns-host\.example\. .* A 192\.0\.2\.66$" "add=AAAA 2001:db8:bad::66$"
    q $a www.sub.oob.test A +tcp -- noaa "add=A 192\.0\.2\.66$"
    q $a nope.oob.test A -- status=NXDOMAIN aa
    q $a www.normal.test A -- status=REFUSED
done
# 12 deep and the CNAME chain
q 127.53.112.1 www.l1.l2.l3.l4.deep.test A -- noaa "auth=^l4\.deep\.test\. .* NS ns\.l4\.deep\.test\.$" "add=A 127\.53\.112\.2$"
q 127.53.112.2 www.l1.l2.l3.l4.deep.test A -- noaa "add=A 127\.53\.112\.3$"
q 127.53.112.3 www.l1.l2.l3.l4.deep.test A -- noaa "add=A 127\.53\.112\.4$"
q 127.53.112.4 www.l1.l2.l3.l4.deep.test A -- noaa "add=A 127\.53\.112\.5$"
q 127.53.112.5 www.l1.l2.l3.l4.deep.test A -- aa "ans=A 192\.0\.2\.12$"
q 127.53.112.1 chain.deep.test A -- aa "ans=CNAME alias\.chain\.example\.$"
q 127.53.112.10 alias.chain.example A -- aa "ans=CNAME www\.normal\.test\.$"

# 13 split: the parent delegates to both; they answer differently (serials 2 and 1)
for t in 127.53.1.1 127.53.1.2; do
    q $t www.split.test A -- noaa "auth=NS ns2\.split\.test\.$" "add=A 127\.53\.113\.2$"
    q $t www.noaddr.test A -- noaa "auth=NS ns\.nowhere\.example\.$" "noadd=."
done
for a in 127.53.113.1 2001:db8:53:113::1; do q $a www.split.test A -- aa "ans=A 192\.0\.2\.13$"; done
for a in 127.53.113.2 2001:db8:53:113::2; do q $a www.split.test A -- aa "ans=A 192\.0\.2\.113$"; done
# 14 noaddr: the NS name does not exist
q 127.53.2.1 ns.nowhere.example A -- aa status=NXDOMAIN

# DNSSEC scenarios (dnssec.tab), DO=0 view; their DNSSEC facts are checked by
# checks/dnssec_oracle.sh.
for t in 127.53.2.1 2001:db8:53:2::2; do
    for n in 0:secure 1:moved 2:expired 3:unsigned; do
        q $t www.${n#*:}.example A -- noaa "auth=^${n#*:}\.example\. .* NS ns1\.${n#*:}\.example\.$" "add=A 127\.53\.14${n%%:*}\.1$"
    done
    q $t www.rollover.example A -- noaa "auth=NS ns2\.rollover\.example\.$" "add=A 127\.53\.144\.2$"
done
for n in 0:secure 1:moved 2:expired 3:unsigned 4:rollover; do
    q 127.53.14${n%%:*}.1 www.${n#*:}.example A -- aa "ans=A 192\.0\.2\.14${n%%:*}$"
done
q 127.53.144.2 www.rollover.example A -- aa "ans=A 192\.0\.2\.144$"
q 127.53.140.1 host.wild.secure.example A -- aa "ans=^host\.wild\.secure\.example\. .* A 192\.0\.2\.150$"
q 127.53.140.1 nope.secure.example A -- aa status=NXDOMAIN
# The validating resolver: AD on the secure chain, SERVFAIL on the provider move.
q "$LAB_VALIDATOR4" www.secure.example A +rec +dnssec -- status=NOERROR "ans=A 192\.0\.2\.140$"
q "$LAB_VALIDATOR6" www.moved.example A +rec -- status=SERVFAIL

# The resolver: resolves through the lab, and its cache is stale for ns1.stale.test.
q "$LAB_RESOLVER4" www.deep.test A +rec -- status=NXDOMAIN
q "$LAB_RESOLVER4" chain.deep.test A +rec -- "ans=A 192\.0\.2\.1$"
q "$LAB_RESOLVER6" www.glueless.test A +rec -- "ans=A 192\.0\.2\.2$"
q "$LAB_RESOLVER4" ns1.stale.test A +rec -- "ans=A $LAB_PARKING4$"
q "$LAB_RESOLVER4" ns1.stale.test AAAA +rec -- "ans=AAAA $LAB_PARKING6$"

if [[ $FAILS -gt 0 ]]; then echo "lab.servers: $FAILS of $CHECKS checks failed"; exit 1; fi
echo "lab.servers: all $CHECKS checks passed"
