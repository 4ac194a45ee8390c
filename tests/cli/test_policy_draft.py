"""``jobpolicy policy draft``: the lines people read, JSON, refusals; and what validate and load say of a draft."""

import json
import shutil
from pathlib import Path

OPINION = Path(__file__).parents[2] / "policies" / "sources" / "gse-2025-opinion.txt"
DRAFTS = Path(__file__).parents[1] / "data" / "drafts"


def test_draft_says_what_it_wrote_and_how_much_is_left_to_do(run, tmp_path):
    document = shutil.copyfile(OPINION, tmp_path / "意见.txt")
    result = run("policy", "draft", document, "--out", tmp_path / "省级.yaml")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"已起草：{tmp_path / '省级.yaml'}（6 个体系，20 项举措，20 个检查项；原文按 UTF-8 读取）",
        f"原文已写入：{tmp_path / 'sources' / '省级.txt'}",
        f"待完成：101 处，运行 jobpolicy policy validate {tmp_path / '省级.yaml'} 逐处查看",
    ]


def test_draft_json(run, tmp_path):
    document = tmp_path / "办法.txt"
    document.write_bytes((DRAFTS / "articles.txt").read_text(encoding="utf-8").encode("gb18030"))
    report = json.loads(run("policy", "draft", document, "--json").stdout)
    assert report == {"catalog": str(tmp_path / "办法.yaml"), "source": str(tmp_path / "sources" / "办法.txt"),
                      "source_written": True, "read_as": "GB18030", "sections": 3, "measures": 5, "items": 6,
                      "notes": 0, "todo": 32}


def test_validate_reports_each_placeholder_at_its_line_then_counts_them(run, tmp_path):
    document = shutil.copyfile(DRAFTS / "restarting.txt", tmp_path / "通知.txt")
    run("policy", "draft", document)
    catalog = tmp_path / "通知.yaml"
    result = run("policy", "validate", catalog)
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[0] == f"{catalog}:9: 待完成：policy.id——政策编号：小写字母、数字和连字符，如 sx-2025-plan"
    assert lines[1] == f"{catalog}:14: 待完成：policy.source——出处：发布机关、发布日期和网址"  # no 来源 line
    assert lines[2].startswith(f"{catalog}:40 [part2.1.a]: 待完成：actor——执行主体：university（高校）")
    assert lines[-1] == "错误: 共 22 处问题（其中 22 处待完成：起草的清单还要由人填写）；请按上面的行号修改后重新校验"


def test_load_refuses_a_draft_with_the_same_lines(run_db, tmp_path):
    document = shutil.copyfile(DRAFTS / "nested.txt", tmp_path / "方案.txt")
    run_db("policy", "draft", document)
    result = run_db("policy", "load", tmp_path / "方案.yaml")
    assert result.exit_code == 3
    assert f"{tmp_path / '方案.yaml'}:9: 待完成：policy.id——政策编号：小写字母、数字和连字符，如 sx-2025-plan" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_existing_draft_is_not_overwritten(run, tmp_path):
    document = shutil.copyfile(DRAFTS / "restarting.txt", tmp_path / "通知.txt")
    (tmp_path / "通知.yaml").write_text("改过的", encoding="utf-8")
    result = run("policy", "draft", document)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [f"错误: 文件 {tmp_path / '通知.yaml'} 已存在，没有覆盖",
                                          "提示: 用 --out 换一个清单文件名，或确认要覆盖时加 --overwrite"]
    assert (tmp_path / "通知.yaml").read_text(encoding="utf-8") == "改过的"


def test_a_missing_or_empty_or_unnumbered_file_is_refused_in_one_line(run, tmp_path):
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    plain = shutil.copyfile(DRAFTS / "unnumbered.txt", tmp_path / "说明.txt")
    for path, message in ((tmp_path / "无.txt", "不存在"), (empty, "是空的，没有文字"),
                          (plain, "中找不到编号的条目（（一）…）、条（第一条…）或小项（1. …）")):
        result = run("policy", "draft", path)
        assert result.exit_code == 3
        assert result.stderr.splitlines()[0] == f"错误: 政策文件 {path} {message}"
        assert len(result.stderr.splitlines()) == 2 and result.stdout == ""


def test_a_mistake_made_while_filling_in_is_counted_apart_from_what_is_still_to_do(run, tmp_path):
    document = shutil.copyfile(DRAFTS / "restarting.txt", tmp_path / "通知.txt")
    run("policy", "draft", document)
    catalog = tmp_path / "通知.yaml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("quote: 开设就业指导课。", "quote: 开设就业指导课程。"), encoding="utf-8")
    lines = run("policy", "validate", catalog).stderr.splitlines()
    assert any(line.startswith(f"{catalog}:36 [part2.1]: basis.quote「开设就业指导课程。各…」不是原文 二（一） 的原话") for line in lines)
    assert lines[-1] == "错误: 共 23 处问题（其中 22 处待完成：起草的清单还要由人填写）；请按上面的行号修改后重新校验"
