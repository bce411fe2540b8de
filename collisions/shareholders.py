"""The shareholders cell of the registration import: ``姓名:身份证号[:持股比例];…`` in one column (one sheet
is one file to check and one row per enterprise to match; a second sheet would need its own key and
its own all-or-nothing). Full-width colons and semicolons are read too; each ID number is checked and
hashed while the cell is parsed."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.import_cells import CellError, parse_text

from .identity import id_hash, id_number_error


def parse_shareholders(value) -> list[tuple[str, str, Decimal | None]]:
    text = parse_text(value).replace("；", ";").replace("：", ":")
    people, seen = [], set()
    for number, part in enumerate(filter(None, (p.strip() for p in text.split(";"))), start=1):
        pieces = [p.strip() for p in part.split(":")]
        if len(pieces) not in (2, 3) or not pieces[0]:
            raise CellError(_("shareholder %(n)d: write 姓名:身份证号 or 姓名:身份证号:持股比例") % {"n": number})
        error = id_number_error(pieces[1])
        if error:
            raise CellError(
                _("shareholder %(n)d (%(name)s): %(error)s") % {"n": number, "name": pieces[0], "error": error}
            )
        share = _share(pieces[2], number) if len(pieces) == 3 and pieces[2] else None
        digest = id_hash(pieces[1])
        if digest in seen:
            raise CellError(_("shareholder %(n)d is listed twice") % {"n": number})
        seen.add(digest)
        people.append((pieces[0], digest, share))
    return people


def _share(text: str, number: int) -> Decimal:
    try:
        share = Decimal(text.rstrip("%％"))
    except InvalidOperation:
        share = Decimal(-1)
    if not Decimal(0) <= share <= Decimal(100):
        raise CellError(_("shareholder %(n)d: the share is a percentage from 0 to 100") % {"n": number})
    return share.quantize(Decimal("0.01"))
