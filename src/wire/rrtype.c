/*
 * The record-type table: mnemonics (IANA registry) and name-bearing RDATA layouts.
 */
#include "gluetrace/wire/rrtype.h"

#include <stdio.h>
#include <string.h>

#include "gluetrace/base/parse.h"
#include "gluetrace/wire/name.h"

/** A record type, its mnemonic and, for types that embed names, its RDATA layout. */
typedef struct rrtype {
    uint16_t type;      /**< the TYPE value */
    const char *name;   /**< its mnemonic as in the IANA registry */
    const char *layout; /**< field letters (see gt_type_layout()), or NULL */
} rrtype;

/* Layouts: RFC 1035 3.3 types, RFC 3597 4 (RP, AFSDB, RT, PX, SRV, NAPTR), KX (RFC 2230),
 * DNAME (RFC 6672). */
static const rrtype rrtypes[] = {
    {1, "A", NULL},           {2, "NS", "N"},        {3, "MD", "N"},           {4, "MF", "N"},
    {5, "CNAME", "N"},        {6, "SOA", "NNLLLLL"}, {7, "MB", "N"},           {8, "MG", "N"},
    {9, "MR", "N"},           {10, "NULL", NULL},    {11, "WKS", NULL},        {12, "PTR", "N"},
    {13, "HINFO", NULL},      {14, "MINFO", "NN"},   {15, "MX", "SN"},         {16, "TXT", NULL},
    {17, "RP", "NN"},         {18, "AFSDB", "SN"},   {21, "RT", "SN"},         {24, "SIG", NULL},
    {25, "KEY", NULL},        {26, "PX", "SNN"},     {28, "AAAA", NULL},       {29, "LOC", NULL},
    {30, "NXT", NULL},        {33, "SRV", "SSSN"},   {35, "NAPTR", "SSCCCN"},  {36, "KX", "SN"},
    {37, "CERT", NULL},       {39, "DNAME", "N"},    {41, "OPT", NULL},        {42, "APL", NULL},
    {43, "DS", NULL},         {44, "SSHFP", NULL},   {45, "IPSECKEY", NULL},   {46, "RRSIG", NULL},
    {47, "NSEC", NULL},       {48, "DNSKEY", NULL},  {49, "DHCID", NULL},      {50, "NSEC3", NULL},
    {51, "NSEC3PARAM", NULL}, {52, "TLSA", NULL},    {53, "SMIMEA", NULL},     {55, "HIP", NULL},
    {59, "CDS", NULL},        {60, "CDNSKEY", NULL}, {61, "OPENPGPKEY", NULL}, {62, "CSYNC", NULL},
    {63, "ZONEMD", NULL},     {64, "SVCB", NULL},    {65, "HTTPS", NULL},      {99, "SPF", NULL},
    {249, "TKEY", NULL},      {250, "TSIG", NULL},   {251, "IXFR", NULL},      {252, "AXFR", NULL},
    {255, "ANY", NULL},       {256, "URI", NULL},    {257, "CAA", NULL},
};

#define GT_NRRTYPES (sizeof(rrtypes) / sizeof(rrtypes[0]))

static const rrtype *find_type(uint16_t type)
{
    for (size_t i = 0; i < GT_NRRTYPES; i++) {
        if (rrtypes[i].type == type) {
            return &rrtypes[i];
        }
    }
    return NULL;
}

const char *gt_type_layout(uint16_t type)
{
    const rrtype *t = find_type(type);

    return t != NULL ? t->layout : NULL;
}

const char *gt_type_to_str(uint16_t type, char *buf, size_t size)
{
    const rrtype *t = find_type(type);
    gt_buf b;

    if (buf == NULL || size == 0) {
        return buf;
    }
    if (t != NULL) {
        /* Truncated to fit, like every mnemonic copy before. */
        size_t n = strlen(t->name);

        if (n >= size) {
            n = size - 1;
        }
        memcpy(buf, t->name, n);
        buf[n] = '\0';
        return buf;
    }
    gt_buf_init_fixed(&b, buf, size);
    gt_buf_printf(&b, "TYPE%u", (unsigned)type);
    return buf;
}

/** ASCII case-insensitive string equality. */
static bool str_eq_nocase(const char *a, const char *b)
{
    while (*a != '\0' && *b != '\0') {
        if (gt_ascii_lower((uint8_t)*a) != gt_ascii_lower((uint8_t)*b)) {
            return false;
        }
        a++;
        b++;
    }
    return *a == *b;
}

gt_status gt_type_from_str(const char *s, uint16_t *type)
{
    unsigned long long v;

    *type = 0;
    if (s == NULL || *s == '\0') {
        return GT_EINVAL;
    }
    for (size_t i = 0; i < GT_NRRTYPES; i++) {
        if (str_eq_nocase(s, rrtypes[i].name)) {
            *type = rrtypes[i].type;
            return GT_OK;
        }
    }
    /* RFC 3597 5: TYPEnnn for any type. */
    if (strlen(s) > 4 && gt_ascii_lower((uint8_t)s[0]) == 't' &&
        gt_ascii_lower((uint8_t)s[1]) == 'y' && gt_ascii_lower((uint8_t)s[2]) == 'p' &&
        gt_ascii_lower((uint8_t)s[3]) == 'e' && gt_parse_uint(s + 4, UINT16_MAX, &v) == GT_OK) {
        *type = (uint16_t)v;
        return GT_OK;
    }
    return GT_EINVAL;
}
