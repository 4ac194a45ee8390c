"""The HTML reports: gold files, structure, escaping, self-containment."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.services.reports import institution_report, summary_report

AS_OF = date(2025, 6, 30)
GOLD = Path(__file__).parents[1] / "gold" / "html"
ACTUAL = Path(__file__).parents[1] / "actual" / "html"


def scrub(html: str) -> str:
    """Remove what legitimately changes between runs: the generated-at time, the version, the CSS hash."""
    html = re.sub(r"生成于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", "生成于 [TIME]", html)
    html = re.sub(r"jobpolicy \d+\.\d+\.\d+\S*", "jobpolicy [VERSION]", html)
    return re.sub(r"report\.[0-9a-f]{10}\.css", "report.[HASH].css", html)


def compare_gold(case: str, out_dir: Path, update: bool) -> None:
    """Compare every page in out_dir with tests/gold/html/<case>/ (or rewrite them with --update-gold)."""
    pages = sorted(p.relative_to(out_dir) for p in out_dir.rglob("*.html"))
    if update:
        shutil.rmtree(GOLD / case, ignore_errors=True)
    mismatched = []
    for page in pages:
        actual = scrub((out_dir / page).read_text(encoding="utf-8"))
        gold = GOLD / case / page
        if update:
            gold.parent.mkdir(parents=True, exist_ok=True)
            gold.write_text(actual, encoding="utf-8")
        elif not gold.exists() or gold.read_text(encoding="utf-8") != actual:
            saved = ACTUAL / case / page
            saved.parent.mkdir(parents=True, exist_ok=True)
            saved.write_text(actual, encoding="utf-8")
            mismatched.append(str(page))
    if not update:
        assert sorted(str(p) for p in (GOLD / case).rglob("*.html")) == sorted(str(GOLD / case / p) for p in pages)
    assert not mismatched, f"differs from tests/gold/html/{case}: {mismatched}; see tests/actual/html/{case}"


def test_summary_matches_gold(scenario, tmp_path, request):
    summary_report(scenario, out_dir=tmp_path / "r", province="山西", as_of=AS_OF)
    compare_gold("shanxi", tmp_path / "r", request.config.getoption("--update-gold"))


def test_output_is_deterministic_apart_from_the_generated_line(scenario, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    summary_report(scenario, out_dir=first, as_of=AS_OF)
    summary_report(scenario, out_dir=first, as_of=AS_OF)  # again into the same folder: same window
    summary_report(scenario, out_dir=second, as_of=AS_OF)
    for page in first.rglob("*.html"):
        assert scrub(page.read_text(encoding="utf-8")) == scrub((second / page.relative_to(first)).read_text(
            encoding="utf-8"))


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_summary_structure(scenario, tmp_path):
    index = summary_report(scenario, out_dir=tmp_path, province="山西", as_of=AS_OF).index
    soup = soup_of(index)
    assert soup.find("meta", charset="utf-8") and soup.html["lang"] == "zh-CN"
    rows = soup.select("table.heatmap tbody tr")
    assert [row.select_one("td a")["href"] for row in rows] == [
        f"institutions/{code}.html" for code in sorted([SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL])]
    headers = [th.get_text(strip=True) for th in soup.select("table.heatmap thead th")]
    assert headers[:2] == ["学校", "省份"] and headers[-5:] == ["填报率", "落实率", "达标率", "逾期", "最近更新"]
    assert len(soup.select("table.heatmap th[data-sort]")) == len(headers)
    assert "数据截至 2025-06-30" in soup.get_text() and "gse-2025@2025.1" in soup.get_text()
    for code in (SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL):
        assert (tmp_path / "institutions" / f"{code}.html").exists()


def test_institution_structure(scenario, tmp_path):
    index = institution_report(scenario, SHANXI, out_dir=tmp_path, as_of=AS_OF).index
    assert index == (tmp_path / "institutions" / f"{SHANXI}.html").resolve()
    soup = soup_of(index)
    text = soup.get_text(" ", strip=True)
    assert "山西大学 就业政策落实情况" in text and "数据截至 2025-06-30" in text
    assert [svg["aria-label"] for svg in soup.find_all("svg")] == ["山西大学 三项比率", "山西大学 各体系落实率"]
    staffing = next(tr for tr in soup.select("table tbody tr") if tr.get_text(strip=True).startswith("support.1.b")
                    and tr.find("ul", class_="evidence"))
    cells = [td.get_text(" ", strip=True) for td in staffing.find_all("td")]
    assert cells[1:3] == ["已完成", "已退回 缺少人员名单"]
    assert cells[6].startswith("目标 ≤ 500") and cells[6].endswith("；实际 480（达标）")
    assert [a["href"] for a in staffing.find_all("a")] == ["https://jy.sxu.edu.cn/staff"]


def test_changes_since_a_date(scenario, tmp_path):
    index = institution_report(scenario, SHANXI, out_dir=tmp_path, as_of=AS_OF, since=date(2025, 6, 1)).index
    text = soup_of(index).get_text(" ", strip=True)
    assert "2025-06-01 之后至 2025-06-30 的变化" in text
    assert "指标值 620 480" in text  # support.1.b: 620 before the window, 480 at its end
    window = text.split("本期变化")[1].split("完整清单")[0]
    assert "指标值 38" not in window  # guidance.1.a's value was set in March; only its review changed in June
    assert "guidance.1.a 将职业发展与就业指导课纳入必修课" in window


def test_self_contained_folder(scenario, tmp_path):
    out = tmp_path / "new"
    summary_report(scenario, out_dir=out, as_of=AS_OF)
    assert (out / ".gitignore").read_text() == "*\n"
    css = [p.name for p in out.glob("report.*.css")]
    assert len(css) == 1
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        refs = re.findall(r'(?:href|src)="([^"]+)"', html)
        external = [r for r in refs if not r.startswith(("https://jy.sxu.edu.cn", "../", "institutions/", "report.",
                                                         "index.html", "https://x.cn"))]
        assert external == [], page
        assert "@import" not in html and "//cdn" not in html


def test_an_existing_folder_gets_no_gitignore(scenario, tmp_path):
    summary_report(scenario, out_dir=tmp_path, as_of=AS_OF)
    assert not (tmp_path / ".gitignore").exists()


def test_hostile_text_is_escaped_and_never_linked(hostile, tmp_path):
    summary_report(hostile, out_dir=tmp_path, as_of=AS_OF)
    html = (tmp_path / "institutions" / f"{CHANGZHI_VOCATIONAL}.html").read_text(encoding="utf-8")
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select('a[href^="javascript:"]') and not soup.select("img")
    assert [s.get_text() for s in soup.find_all("script")] == []  # institution pages carry no script at all
    assert soup.select_one('a[href="https://x.cn/?q=<b>&a=1"]') is not None  # parsed back from &lt;b&gt;&amp;


@pytest.mark.parametrize("name", ["中文 目录", "reports"])
def test_folder_names(scenario, tmp_path, name):
    index = summary_report(scenario, out_dir=tmp_path / name, as_of=AS_OF).index
    assert index.name == "index.html" and index.parent.name == name
