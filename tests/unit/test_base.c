/* Unit tests of the base helpers: text buffer, number parser, file reader, growable array. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gluetrace/base/array.h"
#include "gluetrace/base/buf.h"
#include "gluetrace/base/file.h"
#include "gluetrace/base/parse.h"
#include "tap.h"

static void test_buf_fixed(void)
{
    char mem[8];
    gt_buf b;

    gt_buf_init_fixed(&b, mem, sizeof(mem));
    GT_CHECK_STR(gt_buf_str(&b), "");
    gt_buf_puts(&b, "ab");
    gt_buf_putc(&b, 'c');
    gt_buf_printf(&b, "%d", 42);
    GT_CHECK_STR(mem, "abc42");
    GT_CHECK_INT(b.len, 5);
    GT_CHECK_INT(b.err, GT_OK);
    /* 7 characters fit in 8 bytes; the 8th does not, and nothing of it is written. */
    gt_buf_append(&b, "xy", 2);
    GT_CHECK_STR(mem, "abc42xy");
    gt_buf_putc(&b, 'z');
    GT_CHECK_INT(b.err, GT_ESPACE);
    GT_CHECK_STR(mem, "abc42xy");
    /* The error is sticky: even an append that would fit is refused. */
    gt_buf_append(&b, "", 0);
    GT_CHECK_INT(b.err, GT_ESPACE);
    GT_CHECK_INT(gt_buf_finish(&b), 0);
    GT_CHECK_STR(mem, "");

    /* A printf that does not fit leaves the text as it was, then finish reports 0. */
    gt_buf_init_fixed(&b, mem, sizeof(mem));
    gt_buf_puts(&b, "ab");
    gt_buf_printf(&b, "%s", "123456");
    GT_CHECK_INT(b.err, GT_ESPACE);
    GT_CHECK_STR(mem, "ab");
    gt_buf_init_fixed(&b, mem, sizeof(mem));
    gt_buf_printf(&b, "%s", "1234567");
    GT_CHECK_INT(gt_buf_finish(&b), 7);
    GT_CHECK_STR(mem, "1234567");

    /* No memory at all: every append fails. */
    gt_buf_init_fixed(&b, NULL, 10);
    gt_buf_putc(&b, 'a');
    GT_CHECK_INT(b.err, GT_ESPACE);
    GT_CHECK_STR(gt_buf_str(&b), "");
    gt_buf_init_fixed(&b, mem, 1);
    gt_buf_putc(&b, 'a');
    GT_CHECK_INT(b.err, GT_ESPACE);
    GT_CHECK_STR(mem, "");
}

static void test_buf_grow(void)
{
    gt_buf b;
    size_t len = 99;
    char *text;

    gt_buf_init_grow(&b);
    GT_CHECK_STR(gt_buf_str(&b), "");
    for (int i = 0; i < 1000; i++) {
        gt_buf_printf(&b, "%03d,", i);
    }
    GT_CHECK_INT(b.err, GT_OK);
    GT_CHECK_INT(b.len, 4000);
    GT_CHECK(strncmp(gt_buf_str(&b), "000,001,002,", 12) == 0);
    GT_CHECK_STR(gt_buf_str(&b) + 3996, "999,");
    gt_buf_append(&b, "\0x", 2); /* bytes, NUL included */
    GT_CHECK_INT(b.len, 4002);
    text = gt_buf_take(&b, &len);
    GT_CHECK(text != NULL);
    GT_CHECK_INT(len, 4002);
    GT_CHECK(text != NULL && text[4001] == 'x' && text[4002] == '\0');
    free(text);
    GT_CHECK(b.data == NULL && b.len == 0);

    /* An empty growable buffer still hands over a string. */
    gt_buf_init_grow(&b);
    text = gt_buf_take(&b, &len);
    GT_CHECK(text != NULL && text[0] == '\0' && len == 0);
    free(text);

    /* A long printf in one go. */
    gt_buf_init_grow(&b);
    gt_buf_printf(&b, "%0500d|", 7);
    GT_CHECK_INT(b.len, 501);
    GT_CHECK_STR(gt_buf_str(&b) + 495, "00007|");
    gt_buf_free(&b);
    GT_CHECK_STR(gt_buf_str(&b), "");

    /* gt_buf_take() of a fixed buffer gives nothing. */
    {
        char mem[4];

        gt_buf_init_fixed(&b, mem, sizeof(mem));
        gt_buf_puts(&b, "ab");
        GT_CHECK(gt_buf_take(&b, &len) == NULL);
        GT_CHECK_INT(len, 0);
    }
}

static void test_parse_uint(void)
{
    unsigned long long v = 7;

    GT_CHECK_INT(gt_parse_uint("0", 10, &v), GT_OK);
    GT_CHECK_INT(v, 0);
    GT_CHECK_INT(gt_parse_uint("53", 65535, &v), GT_OK);
    GT_CHECK_INT(v, 53);
    GT_CHECK_INT(gt_parse_uint("00042", 65535, &v), GT_OK);
    GT_CHECK_INT(v, 42);
    GT_CHECK_INT(gt_parse_uint("65535", 65535, &v), GT_OK);
    GT_CHECK_INT(v, 65535);
    GT_CHECK(gt_parse_uint("18446744073709551615", ULLONG_MAX, &v) == GT_OK && v == ULLONG_MAX);

    /* Range and overflow. */
    GT_CHECK_INT(gt_parse_uint("65536", 65535, &v), GT_ELIMIT);
    GT_CHECK_INT(v, 0);
    GT_CHECK_INT(gt_parse_uint("4294967296", UINT32_MAX, &v), GT_ELIMIT);
    GT_CHECK_INT(gt_parse_uint("18446744073709551616", ULLONG_MAX, &v), GT_ELIMIT);
    GT_CHECK_INT(gt_parse_uint("99999999999999999999999999", ULLONG_MAX, &v), GT_ELIMIT);

    /* Garbage: signs, blanks, trailing text, empty, hex, NULL. */
    GT_CHECK_INT(gt_parse_uint("", 10, &v), GT_EINVAL);
    GT_CHECK_INT(gt_parse_uint(NULL, 10, &v), GT_EINVAL);
    GT_CHECK_INT(gt_parse_uint("-1", ULLONG_MAX, &v), GT_EINVAL);
    GT_CHECK_INT(gt_parse_uint("+1", 10, &v), GT_EINVAL);
    GT_CHECK_INT(gt_parse_uint(" 1", 10, &v), GT_EINVAL);
    GT_CHECK_INT(gt_parse_uint("1 ", 10, &v), GT_EINVAL);
    GT_CHECK_INT(gt_parse_uint("12a", 1000, &v), GT_EINVAL);
    GT_CHECK_INT(gt_parse_uint("0x10", 1000, &v), GT_EINVAL);
    GT_CHECK_INT(gt_parse_uint("99999999999999999999999x", ULLONG_MAX, &v), GT_EINVAL);
    GT_CHECK_INT(v, 0);

    /* Length-bounded form. */
    GT_CHECK_INT(gt_parse_uint_n("123456", 3, 1000, &v), GT_OK);
    GT_CHECK_INT(v, 123);
    GT_CHECK_INT(gt_parse_uint_n("12 3", 4, 1000, &v), GT_EINVAL);
    GT_CHECK_INT(gt_parse_uint_n("12", 0, 1000, &v), GT_EINVAL);
}

/** Write @p n bytes of @p fill to a new temporary file; @return its path in @p path. */
static bool temp_file(char *path, size_t size, const char *content, size_t n)
{
    const char *dir = getenv("TMPDIR");
    int fd;
    bool ok;

    snprintf(path, size, "%s/gt_test_base_XXXXXX", dir != NULL && *dir != '\0' ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) {
        return false;
    }
    ok = write(fd, content, n) == (ssize_t)n;
    close(fd);
    return ok;
}

static void test_file_read(void)
{
    char path[256], err[256];
    char *text = NULL;
    size_t len = 9;
    char *big;

    /* Missing file: GT_EIO and a message naming it. */
    GT_CHECK_INT(
        gt_file_read("/nonexistent/gt-no-such-file", 100, &text, &len, err, sizeof(err), NULL),
        GT_EIO);
    GT_CHECK(text == NULL && len == 0);
    GT_CHECK(strstr(err, "cannot open '/nonexistent/gt-no-such-file': ") == err);
    GT_CHECK(strchr(err, '\n') == NULL);
    GT_CHECK_INT(gt_file_read("/nonexistent/x", 100, &text, &len, err, sizeof(err), "shown"),
                 GT_EIO);
    GT_CHECK(strstr(err, "'shown'") != NULL);
    /* A directory opens but cannot be read. */
    GT_CHECK_INT(gt_file_read("/", 100, &text, &len, err, sizeof(err), NULL), GT_EIO);
    GT_CHECK(strstr(err, "cannot read '/'") == err);

    /* Exactly at the cap, with a NUL byte inside, and one byte over the cap. */
    GT_CHECK(temp_file(path, sizeof(path), "ab\0cd", 5));
    GT_CHECK_INT(gt_file_read(path, 5, &text, &len, err, sizeof(err), NULL), GT_OK);
    GT_CHECK_INT(len, 5);
    GT_CHECK(text != NULL && memcmp(text, "ab\0cd", 6) == 0);
    free(text);
    GT_CHECK_INT(gt_file_read(path, 4, &text, &len, err, sizeof(err), "f"), GT_ELIMIT);
    GT_CHECK(text == NULL && len == 0);
    GT_CHECK_STR(err, "'f' is larger than 4 bytes");
    unlink(path);

    /* An empty file is an empty string. */
    GT_CHECK(temp_file(path, sizeof(path), "", 0));
    GT_CHECK_INT(gt_file_read(path, 10, &text, &len, NULL, 0, NULL), GT_OK);
    GT_CHECK(text != NULL && text[0] == '\0' && len == 0);
    free(text);
    unlink(path);

    /* Larger than one read chunk; the cap message in MiB. */
    big = malloc(200000);
    GT_CHECK(big != NULL);
    if (big != NULL) {
        memset(big, 'x', 200000);
        GT_CHECK(temp_file(path, sizeof(path), big, 200000));
        GT_CHECK_INT(gt_file_read(path, 200000, &text, &len, err, sizeof(err), NULL), GT_OK);
        GT_CHECK(text != NULL && len == 200000 && text[199999] == 'x' && text[200000] == '\0');
        free(text);
        GT_CHECK_INT(gt_file_read(path, 1024 * 1024 / 8, &text, &len, err, sizeof(err), "big"),
                     GT_ELIMIT);
        GT_CHECK_STR(err, "'big' is larger than 128 KiB");
        unlink(path);
        free(big);
    }
}

typedef struct item {
    int a;
    double b;
} item;

static void test_array(void)
{
    item *items = NULL;
    size_t cap = 0;
    bool zero = true;

    GT_CHECK(gt_array_reserve((void **)&items, &cap, 0, sizeof(item)));
    GT_CHECK_INT(cap, 16);
    GT_CHECK(gt_array_reserve((void **)&items, &cap, 15, sizeof(item)));
    GT_CHECK_INT(cap, 16);
    items[15].a = 5;
    GT_CHECK(gt_array_reserve((void **)&items, &cap, 16, sizeof(item)));
    GT_CHECK_INT(cap, 32);
    GT_CHECK_INT(items[15].a, 5); /* kept */
    for (size_t i = 16; i < cap; i++) {
        zero = zero && items[i].a == 0 && items[i].b == 0.0;
    }
    GT_CHECK(zero); /* new elements are zeroed */
    GT_CHECK(gt_array_reserve((void **)&items, &cap, 1000, sizeof(item)));
    GT_CHECK_INT(cap, 1024);
    /* Overflow is refused and leaves the array as it was. */
    GT_CHECK(!gt_array_reserve((void **)&items, &cap, SIZE_MAX / 4, sizeof(item)));
    GT_CHECK(!gt_array_reserve((void **)&items, &cap, SIZE_MAX - 1, 1));
    GT_CHECK_INT(cap, 1024);
    GT_CHECK_INT(items[15].a, 5);
    free(items);
}

int main(void)
{
    test_buf_fixed();
    test_buf_grow();
    test_parse_uint();
    test_file_read();
    test_array();
    return gt_test_done();
}
