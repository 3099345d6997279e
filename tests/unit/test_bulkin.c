/*
 * The input of a bulk run (cli/bulkin.c): the shard hash (fixed values: shards computed on
 * different machines must agree), the split into shards (disjoint, complete, zone keys kept
 * together) and --resume's reading of an earlier output (cut-off last line, interrupted
 * names, lines that are not ours).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gluetrace/cli/bulkin.h"
#include "tap.h"

static gt_bulk_name bn(const char *name, uint16_t qtype)
{
    gt_bulk_name b;
    memset(&b, 0, sizeof(b));
    GT_CHECK_INT(gt_name_from_str(&b.name, name), GT_OK);
    b.qtype = qtype;
    return b;
}

/* FNV-1a 64 of the wire form: values computed independently of this code. */
static void test_hash(void)
{
    gt_bulk_name root = bn(".", GT_TYPE_A), ex = bn("example.com", GT_TYPE_A);
    gt_bulk_name www = bn("WWW.Example.COM.", GT_TYPE_A), deep = bn("a.b.example.com", 1);
    GT_CHECK(gt_shard_hash(&root.name, 0) == 0xaf63bd4c8601b7dfULL);
    GT_CHECK(gt_shard_hash(&ex.name, 0) == 0x951df47018d51fc6ULL);
    /* zone key: the last two labels, case-insensitive */
    GT_CHECK(gt_shard_hash(&www.name, 2) == 0x951df47018d51fc6ULL);
    GT_CHECK(gt_shard_hash(&deep.name, 2) == 0x951df47018d51fc6ULL);
    GT_CHECK(gt_shard_hash(&www.name, 0) != gt_shard_hash(&ex.name, 0));
    /* more labels asked than the name has: the whole name */
    GT_CHECK(gt_shard_hash(&ex.name, 5) == gt_shard_hash(&ex.name, 0));
    GT_CHECK(gt_shard_hash(&root.name, 2) == gt_shard_hash(&root.name, 0));
}

#define NNAMES 3000
#define NSHARDS 7

/* N shards are disjoint and together hold every name once, in the input order; roughly even. */
static void test_split(unsigned labels)
{
    static gt_bulk_name all[NNAMES], part[NNAMES];
    static unsigned owner[NNAMES];
    char text[64];
    for (size_t i = 0; i < NNAMES; i++) {
        snprintf(text, sizeof(text), "n%zu.zone%zu.example", i, i % 97);
        all[i] = bn(text, GT_TYPE_A);
        owner[i] = NSHARDS;
    }
    gt_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.shard_count = NSHARDS;
    cfg.shard_labels = labels;
    size_t total = 0;
    for (unsigned s = 0; s < NSHARDS; s++) {
        size_t n = 0;
        cfg.shard_index = s;
        for (size_t i = 0; i < NNAMES; i++) {
            if (gt_bulk_in_shard(&cfg, &all[i].name)) {
                part[n++] = all[i];
            }
        }
        total += n;
        GT_CHECK(n > 0);
        if (labels == 0) { /* 3000 names by hash: each shard within 25% of 3000/7 */
            GT_CHECK(n > NNAMES / NSHARDS * 3 / 4 && n < NNAMES / NSHARDS * 5 / 4);
        }
        size_t j = 0;
        for (size_t i = 0; i < NNAMES && j < n; i++) { /* order kept: a subsequence */
            if (gt_name_eq(&all[i].name, &part[j].name)) {
                GT_CHECK(owner[i] == NSHARDS);
                owner[i] = s;
                j++;
            }
        }
        GT_CHECK(j == n);
    }
    GT_CHECK_INT(total, NNAMES);
    for (size_t i = 0; i < NNAMES; i++) {
        GT_CHECK(owner[i] < NSHARDS);
        /* by zone: every name of zoneK sits in the shard of n<K>.zoneK (its first one) */
        if (labels == 2) {
            GT_CHECK(owner[i] == owner[i % 97]);
        }
    }
    cfg.shard_count = 0; /* no --shard: every name */
    for (size_t i = 0; i < NNAMES; i++) {
        GT_CHECK(gt_bulk_in_shard(&cfg, &all[i].name));
    }
}

static char path[] = "/tmp/gt_bulkin_XXXXXX";
static char list[] = "/tmp/gt_bulkin_names_XXXXXX";

static void write_to(const char *file, const char *text)
{
    FILE *f = fopen(file, "w");
    GT_CHECK(f != NULL);
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

/* Open @p cfg's list and read it to the end; the names handed out go to @p got ("name/TYPE "
 * each). @return the status of open, or of the first failed next. */
static gt_status read_all(const gt_config *cfg, char *got, size_t size, gt_bulk_counts *c,
                          char *err, size_t errlen)
{
    gt_bulk_reader *r = NULL;
    got[0] = '\0';
    memset(c, 0, sizeof(*c));
    gt_status st = gt_bulk_reader_open(cfg, &r, err, errlen);
    if (st != GT_OK) {
        GT_CHECK(r == NULL);
        return st;
    }
    gt_bulk_name b;
    bool end = false;
    size_t used = 0;
    while ((st = gt_bulk_reader_next(r, &b, &end)) == GT_OK && !end) {
        char n[GT_NAME_STRLEN], t[16];
        gt_name_to_str(&b.name, n, sizeof(n));
        int w =
            snprintf(got + used, size - used, "%s/%s ", n, gt_type_to_str(b.qtype, t, sizeof(t)));
        used += w > 0 && (size_t)w < size - used ? (size_t)w : 0;
    }
    if (st != GT_OK) {
        snprintf(err, errlen, "%s", gt_bulk_reader_error(r));
    }
    gt_bulk_reader_counts(r, c);
    gt_bulk_reader_close(r);
    return st;
}

static void temp(char *name)
{
    int fd = mkstemp(name);
    GT_CHECK(fd >= 0);
    if (fd >= 0) {
        close(fd);
    }
}

/* The reader: comments, types, bad lines found before the run, shards (some may be empty). */
static void test_read(void)
{
    char got[1024], err[512];
    gt_bulk_counts c;
    gt_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.names_file = list;
    cfg.qtype = GT_TYPE_MX;
    write_to(list, "# list\na.example\n\n  b.example AAAA ; comment\nc.example");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_OK);
    GT_CHECK_STR(got, "a.example./MX b.example./AAAA c.example./MX ");
    GT_CHECK(c.names == 3 && c.given == 3 && c.other == 0 && c.done == 0);
    size_t total = 0;
    cfg.shard_count = 5;
    for (cfg.shard_index = 0; cfg.shard_index < 5; cfg.shard_index++) {
        GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_OK);
        GT_CHECK(c.names == 3 && c.given + c.other == 3);
        total += c.given;
    }
    GT_CHECK_INT(total, 3); /* 5 shards of 3 names: some are empty, not an error */
    cfg.shard_count = 0;

    /* a bad line anywhere in a file: an error before any name is handed out */
    write_to(list, "a.example\nb.example A extra\n");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_EINVAL);
    GT_CHECK(strstr(err, "line 2: expected NAME [TYPE]") != NULL && got[0] == '\0');
    write_to(list, "a.example\nb..example\n");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_EINVAL);
    GT_CHECK(strstr(err, "line 2: invalid name") != NULL);
    write_to(list, "a.example BOGUS\n");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_EINVAL);
    GT_CHECK(strstr(err, "line 1: invalid name or type") != NULL);
    write_to(list, "# nothing\n\n");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_EINVAL);
    GT_CHECK(strstr(err, "no names") != NULL);
    cfg.names_file = "/nonexistent/names.txt";
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_EIO);
    GT_CHECK(strstr(err, "cannot read /nonexistent/names.txt") != NULL);
}

#define SUM(name, type, status)                                                                    \
    "{\"type\":\"summary\",\"version\":\"0.1.0\",\"query\":{\"name\":\"" name                      \
    "\",\"type\":\"" type "\"},\"traces\":[{\"id\":0,\"status\":\"" status "\"}],\"exit_code\":0}"
#define CUT "{\"type\":\"summary\",\"version\":\"0.1.0\",\"query\":{\"na"

static void test_resume(void)
{
    char got[1024], err[512];
    gt_bulk_counts c;
    gt_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.names_file = list;
    cfg.qtype = GT_TYPE_A;
    cfg.resume = path;
    write_to(list, "a.test\nb.test\nb.test AAAA\nc.test\nd.test\nA.TEST\n");

    /* a and AAAA of b done; c interrupted; d's line cut off: b A, c, d left */
    write_to(path, SUM("a.test.", "A", "answer") "\n" SUM("b.test.", "AAAA", "nxdomain") "\n" SUM(
                       "c.test.", "A", "interrupted") "\n" CUT);
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_OK);
    GT_CHECK_STR(got, "b.test./A c.test./A d.test./A ");
    GT_CHECK(c.names == 6 && c.done == 3 && c.given == 3); /* A.TEST is a.test */
    GT_CHECK(c.resumed == 2 && c.cut == 1);

    /* an empty earlier output: nothing done */
    write_to(path, "");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_OK);
    GT_CHECK(c.given == 6 && c.done == 0 && c.cut == 0);

    /* a complete last line without its newline counts */
    write_to(path, SUM("d.test.", "A", "answer"));
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_OK);
    GT_CHECK(c.given == 5 && c.done == 1 && c.cut == 0);

    /* a cut-off line followed by more (appended after the restart) is skipped too */
    write_to(path, CUT "\n" SUM("d.test.", "A", "answer") "\n");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_OK);
    GT_CHECK(c.given == 5 && c.done == 1 && c.cut == 1);

    /* a names file, or random bytes: no line of an earlier output at all */
    write_to(path, "a.test\nb.test\n");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_EINVAL);
    GT_CHECK(strstr(err, "holds no line of gluetrace -f -o jsonl") != NULL);
    write_to(path, "\x01\xfe\x7f junk");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_EINVAL);
    /* ... while a killed first run's only, cut line is resumed from */
    write_to(path, CUT);
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_OK);
    GT_CHECK(c.done == 0 && c.cut == 1);

    /* JSON that is not a bulk line: the wrong file */
    write_to(path, SUM("d.test.", "A", "answer") "\n{\"type\":\"summary\"}\n");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_EINVAL);
    GT_CHECK(strstr(err, "line 2 is not a line of gluetrace -f -o jsonl") != NULL);
    /* query lines (single-name -o jsonl) are not bulk lines either */
    write_to(path, "{\"type\":\"query\",\"id\":1}\n");
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_EINVAL);

    /* with a shard: the shard's names less those done */
    write_to(path, SUM("a.test.", "A", "answer") "\n");
    size_t total = 0, done = 0;
    cfg.shard_count = 2;
    for (cfg.shard_index = 0; cfg.shard_index < 2; cfg.shard_index++) {
        GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_OK);
        total += c.given;
        done += c.done;
    }
    GT_CHECK(total == 4 && done == 2);
    cfg.shard_count = 0;

    unlink(path);
    GT_CHECK_INT(read_all(&cfg, got, sizeof(got), &c, err, sizeof(err)), GT_EIO);
    GT_CHECK(strstr(err, "--resume: cannot open") != NULL);
}

int main(void)
{
    temp(path);
    temp(list);
    test_hash();
    test_split(0);
    test_split(2);
    test_read();
    test_resume();
    unlink(list);
    return gt_test_done();
}
