/* test_book.c - the course book's text tools on hand-worked cases: base64
 * (RFC 4648's own examples), JSON and HTML escaping, C highlighting, where a
 * figure's terminal copy starts in an output block, and which output lines
 * become a table. The pages themselves are checked in a browser
 * (tools/book_test.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "book_internal.h"

/* What f writes into a fresh buffer, compared with want. */
#define EXPECT_BUF(want, ...)                                                      \
    do {                                                                           \
        book_buf b_;                                                               \
        bb_init(&b_);                                                              \
        __VA_ARGS__;                                                               \
        assert_true(b_.ok);                                                        \
        assert_string_equal(b_.p ? b_.p : "", want);                               \
        bb_free(&b_);                                                              \
    } while (0)

static void test_base64_rfc4648(void **state)
{
    (void)state;
    /* RFC 4648 section 10's test vectors. */
    EXPECT_BUF("Zg==", bb_base64(&b_, (const unsigned char *)"f", 1));
    EXPECT_BUF("Zm8=", bb_base64(&b_, (const unsigned char *)"fo", 2));
    EXPECT_BUF("Zm9v", bb_base64(&b_, (const unsigned char *)"foo", 3));
    EXPECT_BUF("Zm9vYmFy", bb_base64(&b_, (const unsigned char *)"foobar", 6));
    const unsigned char high[3] = {0xff, 0xfe, 0x00};
    EXPECT_BUF("//4A", bb_base64(&b_, high, 3));
}

static void test_json_and_html_escapes(void **state)
{
    (void)state;
    EXPECT_BUF("a\\\"b\\\\c\\nd\\te\\u0001", bb_json(&b_, "a\"b\\c\nd\te\x01", 10));
    EXPECT_BUF("&lt;a href=&quot;x&quot;&gt;&amp;", bb_html(&b_, "<a href=\"x\">&", 14));
}

static void test_highlight_c(void **state)
{
    (void)state;
    int in_comment = 0;
    EXPECT_BUF("<span class=\"kw\">int</span> x = <span class=\"num\">1.5f</span>; "
               "<span class=\"com\">// a &lt;b&gt;</span>",
               bb_highlight_c(&b_, "int x = 1.5f; // a <b>", 22, &in_comment));
    assert_int_equal(in_comment, 0);
    /* A block comment carries over to the next line. */
    EXPECT_BUF("<span class=\"com\">/* one</span>", bb_highlight_c(&b_, "/* one", 6, &in_comment));
    assert_int_equal(in_comment, 1);
    EXPECT_BUF("<span class=\"com\">two */</span> <span class=\"str\">&quot;s&quot;</span>",
               bb_highlight_c(&b_, "two */ \"s\"", 10, &in_comment));
    assert_int_equal(in_comment, 0);
}

static void test_art_start_text_plot(void **state)
{
    (void)state;
    const char *t = "z_mean = 0.0038\n"
                    "                    \n"
                    "                    \n"
                    "          title     \n"
                    " count              \n"
                    "  500 +-------------------------+\n"
                    "  450 |   ***                 +-|\n"
                    "    0 +-------------------------+\n"
                    "      -4      0       4\n"
                    "                    \n";
    /* The plot starts at the first blank line above its title. */
    assert_int_equal(book_art_start(t, strlen(t)), strlen("z_mean = 0.0038\n"));
}

static void test_art_start_preview(void **state)
{
    (void)state;
    const char *t = "samples after 2 epochs\n"
                    "==+==++==+=+  =+==+==+==\n"
                    "=+==+==+==++  ==+==+=+==\n"
                    "==+==+=+==@@  .:-=+*#%@ \n";
    assert_int_equal(book_art_start(t, strlen(t)), strlen("samples after 2 epochs\n"));
    /* Key figures and two short rows are not a picture. */
    const char *u = "d_loss = 1.2\n====++++==\n";
    assert_int_equal(book_art_start(u, strlen(u)), strlen(u));
}

static void test_output_table(void **state)
{
    (void)state;
    const char *t = "generator\n"
                    "   #  layer     in   params\n"
                    "   0  linear   100    25856\n"
                    "   1  tanh     784        0\n"
                    "  total               25856\n";
    EXPECT_BUF("<pre class=\"output\">generator</pre>\n"
               "<div class=\"table\"><table>\n"
               "<tr><th>#</th><th>layer</th><th>in</th><th>params</th></tr>\n"
               "<tr><td class=\"n\">0</td><td>linear</td><td class=\"n\">100</td>"
               "<td class=\"n\">25856</td></tr>\n"
               "<tr><td class=\"n\">1</td><td>tanh</td><td class=\"n\">784</td>"
               "<td class=\"n\">0</td></tr>\n"
               "</table></div>\n"
               "<pre class=\"output\">  total               25856</pre>\n",
               book_output_html(&b_, t, strlen(t)));
    /* Two lines are not yet a table. */
    const char *u = "a  b  c\n1  2  3\n";
    EXPECT_BUF("<pre class=\"output\">a  b  c\n1  2  3</pre>\n", book_output_html(&b_, u, strlen(u)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64_rfc4648),
        cmocka_unit_test(test_json_and_html_escapes),
        cmocka_unit_test(test_highlight_c),
        cmocka_unit_test(test_art_start_text_plot),
        cmocka_unit_test(test_art_start_preview),
        cmocka_unit_test(test_output_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
