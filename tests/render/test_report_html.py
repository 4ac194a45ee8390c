"""The HTML reports: gold files, structure, escaping, self-containment."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.domain.glossary import TERMS
from jobpolicy.render.html import stylesheet
from jobpolicy.services.reports import institution_report, summary_report
from jobpolicy.services.scope import resolve_scope

AS_OF = date(2025, 6, 30)
GOLD = Path(__file__).parents[1] / "gold" / "html"
ACTUAL = Path(__file__).parents[1] / "actual" / "html"


@pytest.fixture(scope="module")
def scenario(module_scenario):
    """Built once per back end: every test here writes reports into a folder of its own and changes no record."""
    return module_scenario


def scrub(html: str) -> str:
    """Remove what legitimately changes between runs (the generated-at time, the version) and the stylesheet every
    page carries inline, which the gold files need not repeat."""
    html = re.sub(r"生成于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", "生成于 [TIME]", html)
    html = re.sub(r"jobpolicy \d+\.\d+\.\d+\S*", "jobpolicy [VERSION]", html)
    return html.replace(str(stylesheet()), "/* [STYLESHEET] */\n")


# The pages kept as gold: the summary, every school's page, and one measure and two items across the schools (the
# other measure and item pages are built the same way; tests below check their contents and links).
GOLD_PAGES = ("index.html", "institutions/*.html", "measures/support.16.html", "items/support.16.a.html",
              "items/recruitment.7.b.html")


def compare_gold(case: str, out_dir: Path, update: bool) -> None:
    """Compare the GOLD_PAGES in out_dir with tests/gold/html/<case>/ (or rewrite them with --update-gold)."""
    pages = sorted({p.relative_to(out_dir) for pattern in GOLD_PAGES for p in out_dir.glob(pattern)})
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
    summary_report(scenario, out_dir=tmp_path / "r", scope=resolve_scope(province="山西"), as_of=AS_OF)
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
    index = summary_report(scenario, out_dir=tmp_path, scope=resolve_scope(province="山西"), as_of=AS_OF).index
    soup = soup_of(index)
    assert soup.find("meta", charset="utf-8") and soup.html["lang"] == "zh-CN"
    rows = soup.select("table.heatmap tbody tr")
    assert [row.select_one("td a")["href"] for row in rows] == [
        f"institutions/{code}.html" for code in sorted([SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL])]
    headers = [th.get_text(strip=True) for th in soup.select("table.heatmap thead th")]
    assert headers[:2] == ["学校", "省份"] and headers[-7:] == [
        "填报率", "落实率", "达标率", "当期逾期", "累计逾期", "逾期完成", "最近更新"]
    assert len(soup.select("table.heatmap th[data-sort]")) == len(headers)
    assert "数据截至 2025-06-30" in soup.get_text() and "gse-2025@2025.2" in soup.get_text()
    for code in (SHANXI, TAIYUAN_TECH, CHANGZHI_VOCATIONAL):
        assert (tmp_path / "institutions" / f"{code}.html").exists()


def test_institution_structure(scenario, tmp_path):
    index = institution_report(scenario, SHANXI, out_dir=tmp_path, as_of=AS_OF).index
    assert index == (tmp_path / "institutions" / f"{SHANXI}.html").resolve()
    soup = soup_of(index)
    text = soup.get_text(" ", strip=True)
    assert "山西大学 就业政策落实情况" in text and "数据截至 2025-06-30" in text
    assert "编号待核实" not in text  # every part of 2025.2 is verified
    assert [svg["aria-label"] for svg in soup.find_all("svg")] == ["山西大学 三项比率", "山西大学 各体系落实率"]
    staffing = next(tr for tr in soup.select("table tbody tr") if tr.get_text(strip=True).startswith("support.16.a")
                    and tr.find("ul", class_="evidence"))
    cells = [td.get_text(" ", strip=True) for td in staffing.find_all("td")]
    assert cells[1:3] == ["已完成", "已退回 缺少人员名单"]
    assert cells[6] == ("参考指标：专职就业工作人员与应届毕业生之比 ≤ 500 名毕业生/每名专职人员 "
                        "来源：教育部关于做好2013年全国普通高等学校毕业生就业工作的通知"
                        "（教学〔2012〕11号，2012年） "
                        "实际 480（达标）")
    assert [a["href"] for a in staffing.find_all("a")] == ["https://jy.sxu.edu.cn/staff"]


def test_changes_since_a_date(scenario, tmp_path):
    index = institution_report(scenario, SHANXI, out_dir=tmp_path, as_of=AS_OF, since=date(2025, 6, 1)).index
    text = soup_of(index).get_text(" ", strip=True)
    assert "2025-06-01 之后至 2025-06-30 的变化" in text
    assert "指标值 620 480" in text  # support.16.a: 620 before the window, 480 at its end
    window = text.split("本期变化")[1].split("完整清单")[0]
    assert "指标值 38" not in window  # guidance.4.a's value was set in March; only its review changed in June
    assert "guidance.4.a 将生涯教育与就业指导课程列为必修课并写入人才培养方案 （四）强化生涯教育与就业指导" in window


def test_self_contained_folder(scenario, tmp_path):
    out = tmp_path / "new"
    summary_report(scenario, out_dir=out, as_of=AS_OF)
    assert (out / ".gitignore").read_text() == "*\n"
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [".gitignore", ".jobpolicy-report.json",
                                                                      "index.html"]  # no stylesheet file
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        refs = re.findall(r'(?:href|src)="([^"]+)"', html)
        external = [r for r in refs if not r.startswith(("https://jy.sxu.edu.cn", "../", "institutions/", "measures/",
                                                         "#", "index.html", "https://x.cn"))]
        assert external == [], page
        assert "@import" not in html and "//cdn" not in html
        # Sent alone, a page keeps its look: the whole stylesheet is inside it, and nothing links to one.
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select('link[rel="stylesheet"]') == []
        assert str(stylesheet()) in soup.head.style.get_text()


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


def test_institution_page_of_a_verified_catalog(numbered_scenario, tmp_path):
    index = institution_report(numbered_scenario, SHANXI, out_dir=tmp_path, as_of=date(2025, 9, 20)).index
    soup = soup_of(index)
    assert "编号待核实" not in soup.get_text()
    assert [h3.get_text(" ", strip=True).split(" 落实率")[0] for h3 in soup.find_all("h3")] == [
        "五、完善帮扶援助体系", "七、巩固支持保障体系"]
    measure_rows = [th.get_text(" ", strip=True) for th in soup.select("th[colspan]")]
    assert measure_rows[0].startswith("（十一）健全困难帮扶机制 assistance.11 依据：“健全困难帮扶机制”（五、（十一））")
    cells = {tr.td.span.get_text(): tr.find_all("td")[6] for tr in soup.select("table.keep tbody tr")}
    assert cells["assistance.11.a"]["class"] == ["reference"]
    assert cells["assistance.11.a"].get_text(" ", strip=True) == (
        "参考指标：联系服务率 ≥ 98 % 来源：山东省离校未就业高校毕业生实名服务做法（2021年） 实际 99（达标）")
    assert not cells["support.25.a"].get("class")
    assert cells["support.25.a"].get_text(" ", strip=True) == "指标：就业工作领导小组会议 ≥ 2 次/年 实际 1（未达标）"
    legend = soup.select_one("p.legend").get_text()
    assert legend.startswith("参考指标：政策原文没有规定的目标值") and "国家通知或地方做法" in legend
    rates = {tr.td.get_text(): tr.find_all("td")[2].get_text() for tr in soup.select("table.rate-table tbody tr")}
    assert rates["达标率"] == "达标 1 / 已填指标 2 项（政策原文规定的 1 项，参考指标 1 项）"


def test_attention_and_changes_name_the_measure_of_each_item(numbered_scenario, tmp_path):
    index = institution_report(numbered_scenario, SHANXI, out_dir=tmp_path, as_of=date(2025, 9, 20),
                               since=date(2025, 6, 1)).index
    text = soup_of(index).get_text(" ", strip=True)
    attention = text.split("逾期和 30 天内到期")[1].split("本期变化")[0]
    assert "assistance.11.b 为每名困难毕业生推送不少于5个岗位 （十一）健全困难帮扶机制" in attention
    changes = text.split("本期变化")[1].split("完整清单")[0]
    assert "support.25.a 每年召开校级就业工作领导小组会议不少于2次 （二十五）建强高校毕业生就业服务机构" in changes


def test_summary_of_a_verified_catalog_heads_columns_and_measures_with_headings(numbered_scenario, tmp_path):
    index = summary_report(numbered_scenario, out_dir=tmp_path, as_of=date(2025, 9, 20)).index
    soup = soup_of(index)
    headers = [th.get_text(strip=True) for th in soup.select("table.heatmap th.system")]
    assert headers == ["五、完善帮扶援助体系", "七、巩固支持保障体系"]
    measures = [a.get_text(strip=True) for a in soup.find(id="measures").find_next("table").select("tbody a")]
    assert "（十一）健全困难帮扶机制" in measures
    assert soup.select_one("p.legend") is not None and "编号待核实" not in soup.get_text()


def test_old_catalog_marks_only_its_unverified_headings(engine_2025_1, tmp_path):
    soup = soup_of(institution_report(engine_2025_1, SHANXI, out_dir=tmp_path, as_of=AS_OF).index)
    assert "gse-2025@2025.1" in soup.get_text()
    headings = [h3.get_text(" ", strip=True).split(" 落实率")[0] for h3 in soup.find_all("h3")]
    assert headings[0] == "二、优化培养供给体系"
    assert headings[1:] and all(h.endswith("（编号待核实）") for h in headings[1:])
    measures = [th.get_text(" ", strip=True) for th in soup.select("th[colspan]")]
    assert measures[0].startswith("（二）以促进供需适配为导向") and "编号待核实" not in measures[0]
    assert measures[2].startswith("强化生涯教育与就业指导（编号待核实） guidance.1 ")


def test_every_page_explains_the_derived_terms_it_uses(scenario, tmp_path):
    index = summary_report(scenario, out_dir=tmp_path, scope=resolve_scope(province="山西"), as_of=AS_OF).index
    for page in (index, tmp_path / "institutions" / f"{SHANXI}.html"):
        soup = soup_of(page)
        notes = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in soup.select("section.glossary dt")}
        assert list(notes) == ["填报率", "落实率", "达标率", "当期逾期", "累计逾期", "逾期完成", "待更新"]
        assert notes["待更新"] == TERMS["待更新"] and notes["落实率"].startswith("已完成的检查项（按权重）")
    assert "待重新评估" not in notes  # no record here was flagged by a new version of the policy
