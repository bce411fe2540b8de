import math

import pytest
from django.db import connection

from complaints import tracking
from complaints.services import complaint_find_by_code


def test_codes_carry_at_least_80_bits_and_no_ambiguous_characters():
    code = tracking.new_code()
    raw = code.replace("-", "")
    assert len(raw) * math.log2(len(tracking.ALPHABET)) >= 80
    assert not set("ILOU") & set(tracking.ALPHABET)
    assert len({tracking.new_code() for _ in range(1000)}) == 1000


@pytest.mark.parametrize(
    "transform", [str.lower, lambda c: c.replace("-", " "), lambda c: c.replace("-", ""), lambda c: f"  {c}  "]
)
def test_typing_is_forgiving(file_complaint, transform):
    complaint, code = file_complaint()
    assert complaint_find_by_code(transform(code)) == complaint


def test_o_and_i_are_read_as_zero_and_one():
    assert tracking.normalize("O0I1-L1O0-0000-0000") == "0011110000000000"


def test_the_database_holds_no_code(file_complaint):
    complaint, code = file_complaint()
    raw = code.replace("-", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM complaints_complaint")
        rows = cursor.fetchall()
    dumped = repr(rows)
    assert raw not in dumped and code not in dumped
    assert complaint.tracking_digest == tracking.digest(code)
    assert len(complaint.tracking_digest) == 64


def test_the_digest_depends_on_the_key(file_complaint, settings):
    _complaint, code = file_complaint()
    settings.TRACKING_CODE_KEY = "another key"
    assert complaint_find_by_code(code) is None


@pytest.mark.parametrize("typed", ["", "1234", "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "<script>", "U" * 16])
def test_unknown_or_malformed_codes_find_nothing(db, typed):
    assert complaint_find_by_code(typed) is None
