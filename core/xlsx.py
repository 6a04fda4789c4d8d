"""A plain list as an Excel download (for «export of the filtered list» on list pages)."""

import io

import xlsxwriter
from django.http import HttpResponse


def xlsx_response(filename: str, sheet: str, header: list[str], rows: list[list]) -> HttpResponse:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    integer = book.add_format({"num_format": "#,##0"})
    decimal = book.add_format({"num_format": "0.0"})
    for col, text in enumerate(header):
        ws.write_string(0, col, text, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                ws.write_string(r, c, "да" if value else "нет")
            elif isinstance(value, int):
                ws.write_number(r, c, value, integer)
            elif isinstance(value, float):
                ws.write_number(r, c, value, decimal)
            else:
                ws.write_string(r, c, str(value))
    ws.set_column(0, 0, 40)
    ws.set_column(1, len(header), 14)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    book.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
