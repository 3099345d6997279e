/* Unit tests of the record-type table and the name printing helpers of the wire layer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gluetrace/wire/rdata.h"
#include "gluetrace/wire/wire.h"
#include "tap.h"

static void test_type_table(void)
{
    char buf[16];
    uint16_t t = 0;
    unsigned bad = 0;

    /* Every TYPE value prints as something that parses back to the same value. */
    for (unsigned v = 0; v <= UINT16_MAX; v++) {
        gt_type_to_str((uint16_t)v, buf, sizeof(buf));
        if (gt_type_from_str(buf, &t) != GT_OK || t != v) {
            bad++;
        }
    }
    GT_CHECK_INT(bad, 0);
    GT_CHECK_STR(gt_type_to_str(GT_TYPE_CDNSKEY, buf, sizeof(buf)), "CDNSKEY");
    GT_CHECK_STR(gt_type_to_str(65280, buf, sizeof(buf)), "TYPE65280");
    GT_CHECK_INT(gt_type_from_str("type65536", &t), GT_EINVAL);
    GT_CHECK_INT(gt_type_from_str("TYPE", &t), GT_EINVAL);
    GT_CHECK_INT(gt_type_from_str("TYPE-1", &t), GT_EINVAL);

    /* Layouts: the name-bearing types of RFC 3597 4, and none for the others. */
    GT_CHECK_STR(gt_type_layout(GT_TYPE_SOA), "NNLLLLL");
    GT_CHECK_STR(gt_type_layout(GT_TYPE_SRV), "SSSN");
    GT_CHECK_STR(gt_type_layout(35), "SSCCCN");
    GT_CHECK(gt_type_layout(GT_TYPE_A) == NULL);
    GT_CHECK(gt_type_layout(GT_TYPE_DS) == NULL);
    GT_CHECK(gt_type_layout(4242) == NULL);
}

/** The parser and the printer take the same layout: a PX record decompressed from a message
 * prints as its three fields. */
static void test_layout_shared(void)
{
    /* RDATA of PX (type 26): preference, MAP822, MAPX400 with a compression pointer to
     * offset 4 ("b.") of this buffer. */
    static const uint8_t msg[] = {0, 10, 1, 'a', 1, 'b', 0, 0xC0, 4};
    uint8_t out[64];
    size_t len = 0;
    char text[128];

    GT_CHECK_INT(gt_rdata_decompress(26, msg, sizeof(msg), 0, sizeof(msg), out, sizeof(out), &len),
                 GT_OK);
    GT_CHECK_INT(len, 2 + 5 + 3);
    GT_CHECK(gt_rdata_to_str(26, out, len, text, sizeof(text)) > 0);
    GT_CHECK_STR(text, "10 a.b. b.");
}

static void test_name_helpers(void)
{
    gt_name n, none;
    char buf[GT_NAME_STRLEN];
    const char *p;
    uint8_t ch = 0;
    gt_buf b;
    char *text;

    memset(&none, 0, sizeof(none));
    GT_CHECK_STR(gt_name_str(&none, buf, sizeof(buf)), "(unnamed)");
    GT_CHECK_INT(gt_name_to_str(&none, buf, sizeof(buf)), 0);
    GT_CHECK_STR(buf, "");
    GT_CHECK_INT(gt_name_from_str(&n, "a\\.b\\255.example"), GT_OK);
    GT_CHECK_STR(gt_name_str(&n, buf, sizeof(buf)), "a\\.b\\255.example.");
    gt_name_root(&n);
    GT_CHECK_STR(gt_name_str(&n, buf, sizeof(buf)), ".");

    /* gt_name_print() into a growable buffer: many names in a row. */
    GT_CHECK_INT(gt_name_from_str(&n, "www.example.com"), GT_OK);
    gt_buf_init_grow(&b);
    for (int i = 0; i < 100; i++) {
        gt_name_print(&b, &n);
        gt_buf_putc(&b, ' ');
    }
    GT_CHECK_INT(b.err, GT_OK);
    GT_CHECK_INT(b.len, 100 * strlen("www.example.com. "));
    text = gt_buf_take(&b, NULL);
    GT_CHECK(text != NULL && strncmp(text, "www.example.com. www.", 21) == 0);
    free(text);

    /* A malformed name (label running past the end) marks the buffer. */
    n.len = 3;
    n.data[0] = 5;
    gt_buf_init_grow(&b);
    gt_name_print(&b, &n);
    GT_CHECK_INT(b.err, GT_EMALFORMED);
    gt_buf_free(&b);

    /* One escape reader for names and character-strings. */
    p = "\\065x";
    GT_CHECK(gt_text_unescape(&p, &ch) && ch == 'A' && *p == 'x');
    p = "\\\"";
    GT_CHECK(gt_text_unescape(&p, &ch) && ch == '"' && *p == '\0');
    p = "\\256";
    GT_CHECK(!gt_text_unescape(&p, &ch));
    p = "\\12";
    GT_CHECK(!gt_text_unescape(&p, &ch));
    p = "\\";
    GT_CHECK(!gt_text_unescape(&p, &ch));
}

int main(void)
{
    test_type_table();
    test_layout_shared();
    test_name_helpers();
    return gt_test_done();
}
