"""The 学校标识码 rule: ten digits, nothing narrower."""

import pytest

from jobpolicy.domain.institution import is_valid_code


@pytest.mark.parametrize("code", ["4114010108", "4214050164", "3611000001", "0000000000"])
def test_ten_digit_codes_are_valid(code):
    assert is_valid_code(code)


@pytest.mark.parametrize("code", ["411401010", "41140101080", "41140101O8", " 4114010108", "４１１４０１０１０８", ""])
def test_other_shapes_are_not(code):
    assert not is_valid_code(code)
