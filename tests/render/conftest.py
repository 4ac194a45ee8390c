"""A small, dated scenario of three 山西 institutions (spring 2025), reported as of 2025-06-30 by the tests."""

from datetime import UTC, datetime

import pytest
import time_machine

from codes import CHANGZHI_VOCATIONAL, SHANXI, TAIYUAN_TECH
from jobpolicy.services.recording import RawChange, set_record
from jobpolicy.services.review import return_item, submit

XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def at(month, day, hour=10):
    return datetime(2025, month, day, hour - 8, tzinfo=UTC)


def change(engine, when, code, item, period=None, **fields):
    with time_machine.travel(when, tick=False):
        set_record(engine, code, item, RawChange(**fields), actor=fields.pop("actor", "张老师"), period=period)


@pytest.fixture
def scenario(engine):
    """Records over spring 2025, a submission and a returned item."""
    return spring(engine)


@pytest.fixture(scope="module")
def module_scenario(module_engine):
    """``scenario`` built once per module and back end, for tests that only read it."""
    return spring(module_engine)


def spring(engine):
    change(engine, at(3, 1), SHANXI, "support.16.a", status="推进中", value="620", owner="王老师", department="人事处")
    change(engine, at(3, 2), SHANXI, "guidance.4.a", status="已完成", value="38", department="教务处",
           evidence=("https://jy.sxu.edu.cn/kc",))
    change(engine, at(6, 10), SHANXI, "support.16.a", status="已完成", value="480",
           evidence=("https://jy.sxu.edu.cn/staff",))
    change(engine, at(6, 12), SHANXI, "support.15.c", status="不适用", na_reason="经费由省统筹")
    change(engine, at(4, 1), TAIYUAN_TECH, "recruitment.7.b", period="2025", status="推进中", due="2025-05-31",
           department="招生就业处")
    change(engine, at(4, 2), TAIYUAN_TECH, "support.16.a", status="已完成", value="650", department="人事处")
    with time_machine.travel(at(6, 20), tick=False):
        submit(engine, SHANXI, actor="张老师")
        return_item(engine, SHANXI, "support.16.a", "缺少人员名单", actor="省厅审核员")
    return engine


@pytest.fixture
def hostile(engine):
    """A record whose free text carries script and markup payloads."""
    change(engine, at(5, 1), CHANGZHI_VOCATIONAL, "support.16.a", status="推进中", note=XSS, owner=XSS,
           department="javascript:alert(1)", evidence=("https://x.cn/?q=<b>&a=1",))
    return engine


@pytest.fixture
def numbered_scenario(numbered_engine):
    """山西大学 under the numbered, verified catalog: one 参考指标 met, the policy's own indicator not met."""
    change(numbered_engine, at(6, 2), SHANXI, "support.25.a", status="推进中", value="1", department="校办")
    change(numbered_engine, at(6, 3), SHANXI, "assistance.11.a", period="2025", status="推进中", value="99")
    return numbered_engine
