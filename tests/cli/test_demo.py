"""``jobpolicy demo``: a labelled demo database of real 山西 institutions, and its reports."""

from pathlib import Path

from bs4 import BeautifulSoup
from sqlmodel import Session, func, select

from jobpolicy.storage.db import make_engine, resolve_url
from jobpolicy.storage.models import Event, Institution, Record, Setting


def test_demo_builds_a_labelled_database_and_reports(run, tmp_path):
    result = run("demo", "--dir", tmp_path / "demo")
    assert result.exit_code == 0
    index = tmp_path / "demo" / "reports" / "index.html"
    assert result.stdout.splitlines()[-2:] == [f"报告已写入：{index}", f"用浏览器打开（可离线查看、打印）：{index.as_uri()}"]
    engine = make_engine(resolve_url(str(tmp_path / "demo" / "jobpolicy.db")))
    with Session(engine) as session:
        schools = session.exec(select(Institution)).all()
        assert len(schools) == 12 and {s.province for s in schools} == {"山西省"} and all(s.listed for s in schools)
        assert session.get(Setting, "label").value == "演示数据"
        assert session.exec(select(func.count()).select_from(Record)).one() > 150
        actors = set(session.exec(select(Event.actor)))
        assert actors and all(a.startswith("演示数据·") for a in actors)
        assert session.exec(select(Record).where(Record.review == "returned")).first() is not None
    engine.dispose()
    pages = list((tmp_path / "demo" / "reports").rglob("*.html"))
    assert len(list((tmp_path / "demo" / "reports" / "institutions").glob("*.html"))) == 12
    assert len(list((tmp_path / "demo" / "reports" / "measures").glob("*.html"))) > 15
    assert all("演示数据：本页内容为示例" in p.read_text(encoding="utf-8") for p in pages)
    summary = index.read_text(encoding="utf-8")
    assert "逾期" in summary
    counts = BeautifulSoup(summary, "html.parser").find(id="submission").find_next("table").tbody.find_all("td")
    assert all(td.get_text() != "0 所" for td in counts)  # the demo shows every 报送 state


def test_demo_again_replaces_the_demo(run, tmp_path):
    assert run("demo", "--dir", tmp_path).exit_code == 0
    assert run("demo", "--dir", tmp_path).exit_code == 0


def test_demo_never_overwrites_a_real_database(run, tmp_path):
    real = tmp_path / "jobpolicy.db"
    assert run("--db", real, "db", "init").exit_code == 0
    before = real.read_bytes()
    result = run("demo", "--dir", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"错误: {real} 不是演示数据库，不会覆盖",
                                          "提示: 换一个目录：jobpolicy demo --dir 新目录"]
    assert real.read_bytes() == before and Path(real).exists()
