"""Checks an uploaded workbook before any XML in it is parsed: type, size, and that it does not
unpack into something far larger than it is (a zip bomb)."""

import zipfile

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBER_RATIO = 200  # unpacked / packed, for members larger than 1 MB unpacked
REQUIRED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")

MSG_NOT_XLSX = "Нужен файл Excel в формате .xlsx (книга Excel 2007 и новее)."
MSG_TOO_LARGE = "Файл больше 10 МБ."
MSG_BROKEN = "Файл повреждён или это не книга Excel .xlsx."
MSG_BOMB = "Файл после распаковки слишком велик: загрузка отклонена."
MSG_MACROS = "Книги с макросами не принимаются: сохраните таблицу как «Книга Excel (.xlsx)»."


class UnsafeWorkbook(Exception):
    pass


def check_xlsx(fileobj, name: str, size: int | None = None) -> None:
    """Raise :class:`UnsafeWorkbook` with a Russian message unless the upload looks like a sane .xlsx."""
    if not str(name or "").lower().endswith(".xlsx"):
        raise UnsafeWorkbook(MSG_NOT_XLSX)
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    fileobj.seek(0)
    if size > MAX_UPLOAD_BYTES:
        raise UnsafeWorkbook(MSG_TOO_LARGE)
    if not zipfile.is_zipfile(fileobj):
        raise UnsafeWorkbook(MSG_BROKEN)
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise UnsafeWorkbook(MSG_BOMB)
            total = 0
            names = set()
            for member in members:
                names.add(member.filename)
                if member.flag_bits & 0x1:
                    raise UnsafeWorkbook(MSG_BROKEN)
                total += member.file_size
                if member.file_size > 1024 * 1024 and member.file_size > MAX_MEMBER_RATIO * max(
                    member.compress_size, 1
                ):
                    raise UnsafeWorkbook(MSG_BOMB)
            if total > MAX_UNPACKED_BYTES:
                raise UnsafeWorkbook(MSG_BOMB)
            if not all(required in names for required in REQUIRED_MEMBERS):
                raise UnsafeWorkbook(MSG_BROKEN)
            if "xl/vbaProject.bin" in names:
                raise UnsafeWorkbook(MSG_MACROS)
    except zipfile.BadZipFile as exc:
        raise UnsafeWorkbook(MSG_BROKEN) from exc
    finally:
        fileobj.seek(0)
