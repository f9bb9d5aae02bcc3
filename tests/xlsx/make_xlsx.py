#!/usr/bin/env python3
"""make_xlsx.py KIND OUT — builds .xlsx fixtures for tests/test_xlsx.c.

  returnees  openpyxl: a counter's sheet of returnees (Chinese headers, 中国,
             education columns, dates as real Excel dates, a phone stored as a
             number, one identity number Excel turned into 5.0010619921e+17),
             on a second sheet "回国人员" after an empty first sheet "说明".
  handmade   zipfile: inline strings, rich text and phonetic runs in the
             shared strings, cells without r=, a 1904 workbook, booleans.
  big N      zipfile: N data rows of inline strings (streaming test).
  bad        zipfile: a worksheet with a DTD (refused).
  refs       zipfile: lower-case cell references (read), then an empty cell
             whose reference names no column after a cell with a value
             (refused, and nothing written for it).
"""
import sys
import zipfile

CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def workbook(date1904=False):
    pr = '<workbookPr date1904="1"/>' if date1904 else ''
    return (f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}>{pr}'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')


WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
           '</Relationships>')


def package(out, sheet_xml, sst=None, date1904=False):
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CT)
        z.writestr('_rels/.rels', RELS)
        z.writestr('xl/workbook.xml', workbook(date1904))
        z.writestr('xl/_rels/workbook.xml.rels', WB_RELS)
        if sst is not None:
            z.writestr('xl/sharedStrings.xml', sst)
        if callable(sheet_xml):
            with z.open('xl/worksheets/sheet1.xml', 'w') as f:
                sheet_xml(f)
        else:
            z.writestr('xl/worksheets/sheet1.xml', sheet_xml)


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def returnees(out):
    import datetime
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.title = '说明'
    wb.active['A1'] = '本表为回国人员名单'
    ws = wb.create_sheet('回国人员')
    ws.append(['姓名', '性别', '出生日期', '证件类型', '证件号码', '手机号码', '国籍', '最高学历', '毕业院校',
               '留学国家', '回国时间', '工作单位', '政治面貌'])
    d = datetime.date
    ws.append(['王伟', '男', d(1949, 12, 31), '居民身份证', sys.argv[3], 13800138000, '中国', '博士研究生',
               'University of Cambridge', '英国', d(2019, 6, 30), '重庆大学', '群众'])
    ws.append(['𠮷野家', '女', d(1980, 2, 29), '居民身份证', sys.argv[4], None, '中华人民共和国', '硕士',
               '香港大学', '中国香港', d(2018, 7, 1), '重庆,两江新区', None])
    ws.append(['John Smith', '男', d(1970, 5, 5), '护照', 'E12345678', None, 'United Kingdom', None, None,
               None, None, None, None])
    ws.append(['李强', '男', d(1992, 1, 1), '居民身份证', 5.0010619921e+17, None, '中国', '本科', None, None,
               None, None, None])
    wb.save(out)


def handmade(out):
    sst = (f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="4" uniqueCount="4">'
           '<si><t>姓名</t></si>'
           '<si><r><t>证件</t></r><r><rPr><b/></rPr><t>号码</t></r></si>'
           '<si><t>张三</t><rPh sb="0" eb="2"><t>チョウサン</t></rPh></si>'
           '<si><t xml:space="preserve"> 出生日期 </t></si>'
           '</sst>')
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
             '<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>3</v></c>'
             + inline('D1', '国籍') + inline('E1', '备注') + '</row>'
             '<row r="3"><c t="s"><v>2</v></c>' + inline('B3', 'E12345678')
             + '<c r="C3"><v>31776</v></c>' + inline('D3', 'GBR') + '<c r="E3" t="b"><v>1</v></c></row>'
             '<row r="4">' + inline('A4', '李&amp;四') + inline('B4', 'E22223333') + '<c r="C4" t="str"><f>A1</f><v>1990-01-01</v></c>'
             + inline('D4', '英国') + '</row>'
             '</sheetData></worksheet>')
    package(out, sheet, sst, date1904=True)


def big(out, n):
    def write(f):
        f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'.encode())
        f.write(('<row r="1">' + inline('A1', '姓名') + inline('B1', '证件号码') + inline('C1', '备注') + '</row>').encode())
        for i in range(2, n + 2):
            row = (f'<row r="{i}">' + inline(f'A{i}', f'测试人员{i}') + inline(f'B{i}', f'E{i:08d}')
                   + inline(f'C{i}', '一行备注文字，让工作表足够大，以检验流式读取' * 2) + '</row>')
            f.write(row.encode())
        f.write(b'</sheetData></worksheet>')
    package(out, write)


def bad(out):
    sheet = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
             f'<worksheet {NS}><sheetData><row r="1"><c t="inlineStr"><is><t>&a;</t></is></c></row></sheetData></worksheet>')
    package(out, sheet)


def refs(out):
    sheet = (f'<worksheet {NS}><sheetData>'
             '<row r="1"><c r="b1" t="inlineStr"><is><t>乙</t></is></c><c r="c1"><v>7</v></c></row>'
             '<row r="2"><c r="B2"><v>5</v></c><c r="2B"/></row>'
             '<row r="3"><c r="A3"><v>9</v></c></row>'
             '</sheetData></worksheet>')
    package(out, sheet)


if __name__ == '__main__':
    kind, out = sys.argv[1], sys.argv[2]
    if kind == 'returnees':
        returnees(out)
    elif kind == 'handmade':
        handmade(out)
    elif kind == 'big':
        big(out, int(sys.argv[3]))
    elif kind == 'bad':
        bad(out)
    elif kind == 'refs':
        refs(out)
    else:
        sys.exit('unknown kind ' + kind)
