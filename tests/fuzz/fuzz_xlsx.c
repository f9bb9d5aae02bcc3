/* fuzz_xlsx.c — libFuzzer target: the .xlsx reader (src/io/xlsx.h).
 *
 * First byte even: the rest is a whole file for td_xlsx_open_mem (the zip
 * container).  Odd: the rest is "SHEET\0SST\0WORKBOOK" — XML parts that the
 * harness stores in a well-formed zip, so that the fuzzer reaches the XML
 * handlers (an empty WORKBOOK gets a standard one).  Checks, beyond "no
 * crash, no sanitizer report": every row has ncells cells, each a
 * NUL-terminated string of its stated length, and row numbers increase. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "io/xlsx.h"

typedef struct out {
    unsigned char *p;
    size_t n, cap;
} out;

static void put(out *o, const void *d, size_t n)
{
    if (o->n + n > o->cap) {
        o->cap = (o->n + n) * 2 + 256;
        o->p = realloc(o->p, o->cap);
        if (!o->p)
            abort();
    }
    memcpy(o->p + o->n, d, n);
    o->n += n;
}

static void le16(out *o, unsigned v)
{
    unsigned char b[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
    put(o, b, 2);
}

static void le32(out *o, unsigned long v)
{
    unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 24) };
    put(o, b, 4);
}

typedef struct part {
    const char *name;
    const unsigned char *data;
    size_t len;
} part;

/* A zip of STORED entries (no compression). */
static void zip_stored(out *o, const part *parts, int n)
{
    unsigned long offs[8];
    for (int i = 0; i < n; i++) {
        offs[i] = (unsigned long)o->n;
        unsigned long crc = crc32(0, parts[i].data, (uInt)parts[i].len);
        le32(o, 0x04034b50);
        le16(o, 20), le16(o, 0), le16(o, 0), le16(o, 0), le16(o, 0);
        le32(o, crc), le32(o, (unsigned long)parts[i].len), le32(o, (unsigned long)parts[i].len);
        le16(o, (unsigned)strlen(parts[i].name)), le16(o, 0);
        put(o, parts[i].name, strlen(parts[i].name));
        put(o, parts[i].data, parts[i].len);
    }
    unsigned long cd = (unsigned long)o->n;
    for (int i = 0; i < n; i++) {
        unsigned long crc = crc32(0, parts[i].data, (uInt)parts[i].len);
        le32(o, 0x02014b50);
        le16(o, 20), le16(o, 20), le16(o, 0), le16(o, 0), le16(o, 0), le16(o, 0);
        le32(o, crc), le32(o, (unsigned long)parts[i].len), le32(o, (unsigned long)parts[i].len);
        le16(o, (unsigned)strlen(parts[i].name)), le16(o, 0), le16(o, 0), le16(o, 0), le16(o, 0);
        le32(o, 0), le32(o, offs[i]);
        put(o, parts[i].name, strlen(parts[i].name));
    }
    unsigned long cdlen = (unsigned long)o->n - cd;
    le32(o, 0x06054b50);
    le16(o, 0), le16(o, 0), le16(o, (unsigned)n), le16(o, (unsigned)n);
    le32(o, cdlen), le32(o, cd), le16(o, 0);
}

static const char WB[] = "<workbook><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char RELS[] = "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

static void read_all(td_xlsx *x)
{
    td_xlsx_row *r;
    td_err err;
    long last = 0;
    while (td_xlsx_next(x, &r, &err) == TD_OK && r) {
        if (r->row <= last)
            abort();
        last = r->row;
        for (size_t i = 0; i < r->ncells; i++)
            if (strlen(r->cells[i]) > r->lens[i] || r->cells[i][r->lens[i]] != '\0' || r->kinds[i] > TD_XC_ERROR)
                abort();
        char d[11];
        if (r->ncells)
            (void)td_xlsx_serial_date(r->cells[0], td_xlsx_date1904(x), d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    td_xlsx *x = NULL;
    td_err err;
    if ((data[0] & 1) == 0) {
        if (td_xlsx_open_mem(data + 1, size - 1, NULL, &x, &err) == TD_OK) {
            read_all(x);
            td_xlsx_close(x);
        }
        return 0;
    }
    const unsigned char *p = data + 1, *end = data + size;
    const unsigned char *seg[3] = { p, NULL, NULL };
    size_t segl[3] = { 0, 0, 0 };
    int k = 0;
    for (const unsigned char *q = p; q < end && k < 3; q++) {
        if (*q == 0 && k < 2) {
            segl[k] = (size_t)(q - seg[k]);
            seg[++k] = q + 1;
        }
    }
    segl[k] = (size_t)(end - seg[k]);
    for (int i = k + 1; i < 3; i++)
        seg[i] = (const unsigned char *)"", segl[i] = 0;
    part parts[4] = {
        { "xl/workbook.xml", segl[2] ? seg[2] : (const unsigned char *)WB, segl[2] ? segl[2] : strlen(WB) },
        { "xl/_rels/workbook.xml.rels", (const unsigned char *)RELS, strlen(RELS) },
        { "xl/sharedStrings.xml", seg[1], segl[1] },
        { "xl/worksheets/sheet1.xml", seg[0], segl[0] },
    };
    out o = { 0 };
    if (segl[1]) {
        zip_stored(&o, parts, 4);
    } else { /* no shared strings part */
        part p3[3] = { parts[0], parts[1], parts[3] };
        zip_stored(&o, p3, 3);
    }
    if (td_xlsx_open_mem(o.p, o.n, (data[0] & 2) ? "S" : NULL, &x, &err) == TD_OK) {
        read_all(x);
        td_xlsx_close(x);
    }
    free(o.p);
    return 0;
}
