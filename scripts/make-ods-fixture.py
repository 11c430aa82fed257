#!/usr/bin/env python3
"""Writes fixtures/xlsx/typed.ods: the workbook of fixtures/xlsx/typed/ as an OpenDocument
spreadsheet the way LibreOffice stores it — periods as date cells, costs and budgets as
formulas with their cached values, a value typed as text — so that a test can check that
.ods workbooks read like their CSV twin. Standard library only (zipfile); run again only to
change the fixture:

    python3 scripts/make-ods-fixture.py
"""
import zipfile
from xml.sax.saxutils import escape

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"'
)


def text(value):
    return ('<table:table-cell office:value-type="string"><text:p>%s</text:p>'
            '</table:table-cell>' % escape(value))


def number(value, formula=None):
    f = ' table:formula="of:%s"' % escape(formula) if formula else ''
    return ('<table:table-cell office:value-type="float" office:value="%s"%s>'
            '<text:p>%s</text:p></table:table-cell>' % (value, f, value))


def date(iso):
    y, m, d = iso.split('-')
    return ('<table:table-cell office:value-type="date" office:date-value="%s">'
            '<text:p>%s/%s/%s</text:p></table:table-cell>' % (iso, d, m, y))


EMPTY = '<table:table-cell/>'


def sheet(name, rows):
    body = ''.join('<table:table-row>%s</table:table-row>' % ''.join(r) for r in rows)
    return '<table:table table:name="%s">%s</table:table>' % (escape(name), body)


budget = [[text('period'), text('amount')]] + [
    [date(p), number(100, '=50+50')]
    for p in ('2027-01-01', '2027-04-01', '2027-07-01', '2027-10-01')
]
header = ['id', 'name', 'cost', 'duration', 'value', 'earliest_start', 'latest_start', 'status']
projects = [[text(h) for h in header]] + [
    [text('A'), text('Warehouse automation'), number(160, '=2*80'), number(2), text('10'),
     date('2027-04-01'), date('2027-07-01'), EMPTY],
    [text('B'), text('Year-end reporting fix'), number(100, '=100'), number(1), text('7'),
     EMPTY, date('2027-04-01'), EMPTY],
    [text('C'), text('Trade show stand'), number(100, '=[.C3]'), number(1), text('5'),
     date('2027-07-01'), date('2027-07-01'), EMPTY],
    [text('D'), text('Compliance audit'), number(40.5, '=81/2'), number(1), text('3'),
     EMPTY, EMPTY, text('mandatory')],
]
content = ('<?xml version="1.0" encoding="UTF-8"?>'
           '<office:document-content %s office:version="1.2"><office:body><office:spreadsheet>'
           '%s%s</office:spreadsheet></office:body></office:document-content>'
           % (NS, sheet('budget', budget), sheet('projects', projects)))
manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            ' manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/"'
            ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>')

FIXED = (2026, 1, 1, 0, 0, 0)  # fixed timestamps: the same bytes on every run
with zipfile.ZipFile('fixtures/xlsx/typed.ods', 'w') as z:
    for name, data, method in (
        ('mimetype', 'application/vnd.oasis.opendocument.spreadsheet', zipfile.ZIP_STORED),
        ('content.xml', content, zipfile.ZIP_DEFLATED),
        ('META-INF/manifest.xml', manifest, zipfile.ZIP_DEFLATED),
    ):
        info = zipfile.ZipInfo(name, FIXED)
        info.compress_type = method
        z.writestr(info, data)
print('wrote fixtures/xlsx/typed.ods')
