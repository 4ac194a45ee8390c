"""The summary report's coverage page: how a province's plan covers the opinion, linked from the summary."""

from pathlib import Path

from bs4 import BeautifulSoup

from jobpolicy.services.policies import load_policy_version
from jobpolicy.services.reports import summary_report

PLAN = Path(__file__).parent.parent / "data" / "mappings" / "good_inline" / "plan.yaml"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_the_opinions_summary_links_to_the_plans_coverage_page(engine, tmp_path):
    load_policy_version(engine, PLAN, actor="测试")

    summary_report(engine, out_dir=tmp_path, policy_id="gse-2025")

    link = soup_of(tmp_path / "index.html").select_one("#coverage + ul a")
    assert link.get_text() == "示例省实施方案（合成） 对照 高质量就业服务体系意见"
    page = soup_of(tmp_path / link["href"])
    rows = {tr.td.get_text(" ", strip=True).split()[0]: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in page.select("tbody tr") if tr.td and tr.td.span}
    assert rows["guidance.4.a"][1:] == ["已覆盖", "guide.1.a 包含 guidance.4.a"]
    assert rows["guidance.4.b"][1:] == ["部分覆盖", "guide.1.b 被包含 guidance.4.b"]
    assert rows["supply.1.a"][1:] == ["未覆盖", "—"]
    extras = [li.get_text(" ", strip=True) for li in page.select("h2 + ul li")]
    assert "service.1.c 新增　建立校级就业工作联络员制度，每个院系确定一名联络员" in extras
    targets = [[td.get_text() for td in tr.find_all("td")] for tr in page.select("h2 ~ table")[-1].select("tbody tr")]
    assert ["service.1.a → support.16.a", "指标", "≤ 400 名毕业生/每名专职人员",
            "≤ 500 名毕业生/每名专职人员"] in targets


def test_the_plans_own_summary_links_to_the_same_page(engine, tmp_path):
    load_policy_version(engine, PLAN, actor="测试")

    summary_report(engine, out_dir=tmp_path, policy_id="demo-province-2025")

    summary = soup_of(tmp_path / "index.html")
    assert "demo-province-2025@1" in summary.get_text()
    assert summary.select_one("#coverage + ul a")["href"] == "coverage/demo-province-2025.html"


def test_a_summary_without_mapped_plans_has_no_coverage_section(engine, tmp_path):
    summary_report(engine, out_dir=tmp_path)

    assert soup_of(tmp_path / "index.html").select_one("#coverage") is None
    assert not (tmp_path / "coverage").exists()
