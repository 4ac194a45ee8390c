"""Reference data shipped inside the package: the bundled policy catalogs and the MOE institution list."""

from __future__ import annotations

import csv
import io
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

from jobpolicy.domain.institution import ListedInstitution, is_valid_code
from jobpolicy.errors import InvalidInput, NotFound

INSTITUTION_LIST = "institutions-2026.csv"
INSTITUTION_LIST_SOURCE = "教育部《全国高等学校名单》（截至2026年6月17日），2026-06-18 公布"


def bundled_policy_dir() -> Path:
    """Return the folder of bundled policy catalogs.

    An installed wheel carries them in ``jobpolicy/policies``; a source checkout (editable install)
    keeps them at the top of the repository, where people edit them.
    """
    packaged = Path(str(resources.files("jobpolicy"))) / "policies"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "policies"


@cache
def institution_list() -> dict[str, ListedInstitution]:
    """Return the bundled MOE list, keyed by 学校标识码, in the list's order."""
    text = resources.files("jobpolicy").joinpath("data", INSTITUTION_LIST).read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {
        row["code"]: ListedInstitution(
            code=row["code"], name=row["name"], authority=row["authority"], province=row["province"],
            city=row["city"], level=row["level"], remark=row["remark"], year_of_list=int(row["year_of_list"]),
        )
        for row in rows
    }


def check_code(code: str) -> str:
    """Return ``code`` normalised, or raise InvalidInput when it is not ten digits.

    Full-width digits typed with a Chinese input method are folded to ASCII (NFKC).
    """
    code = unicodedata.normalize("NFKC", code).strip()
    if not is_valid_code(code):
        raise InvalidInput(f"学校标识码“{code}”格式不对：应为 10 位数字",
                           hint="在教育部《全国高等学校名单》中查找学校标识码，如 4114010108")
    return code


def lookup_institution(code: str) -> ListedInstitution:
    """Return the listed institution with this code.

    Raises:
        InvalidInput: the code is not ten digits.
        NotFound: no institution on the bundled list has this code.
    """
    code = check_code(code)
    listed = institution_list().get(code)
    if listed is None:
        raise NotFound(f"学校标识码 {code} 不在教育部 2026 年高校名单中",
                       hint="核对标识码；名单外的学校添加时需用 --name 写明名称")
    return listed
