"""From accepted to certified, walked in a real browser (issue 11, "Done when").

The walk has a server of its own (its own database, so the demo's review data cannot get in its
way) whose workflow clock stands in 2023 and moves as the review goes on: 18 September (experts,
conflict, assignment, 回避, the defence scheduled), 20 September (defence recorded, scoring,
ranking, site visit planned), 25 September (site visit recorded, 会审, 公示 from the 27th),
28 September (the public page, objections) and 11 October (发文, registry, 择优推荐). The 公示's
five working days cross 中秋节 and 国庆节 (29 September – 6 October, with 7 and 8 October
worked), so it ends on 9 October. Only ``declarations.clock.now()`` moves (``CLOCK_SHIM``, a
``sitecustomize`` only this server loads); Django's own time stays real.

The world (city bureau, two counties' accepted applications with their evidence, six experts in
the pool) is made with domain functions (``review_world.py``); every step the issue lists is done
through the pages, and axe-core checks the pages the walk went through.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from clusterdesk.demo.seed import demo_form_data
from tests.browser import review_world as world
from tests.browser.clocked_server import clocked_server, set_clock
from tests.browser.conftest import REPO_DIR, AppServer, _manage, browser_tab, screenshot_path

pytestmark = pytest.mark.browser

REVIEW_DAY = dt.datetime(2023, 9, 18, 9, 0, tzinfo=world.SHANGHAI)  # a Monday
PUBLICITY_START = dt.date(2023, 9, 27)
AFTER_PUBLICITY = dt.datetime(2023, 10, 11, 9, 0, tzinfo=world.SHANGHAI)
DOCUMENT_NUMBER = "甬经信中小〔2023〕12号"

BEILUN = world.cluster_name("北仑区")
BEILUN_DATA = demo_form_data("北仑区", BEILUN)
YUYAO = world.cluster_name("余姚市")


class Walk:
    """The walk's server and what the world gave it."""

    def __init__(self, server: AppServer, ids: dict) -> None:
        self.server = server
        self.round = ids["round"]
        self.applications = ids["applications"]
        self.axe_findings: dict[str, list[dict]] = {}  # "user path" -> blocking violations

    def set_clock(self, at: dt.datetime) -> None:
        set_clock(self.server, at)


# Pages the walk went through, per user ("" for a visitor), for axe-core to check at the next
# ``audit`` while they still show what they showed then (a score sheet only while its phase is
# open, the 公示 only while it runs).
SEEN: dict[str, list[str]] = {}


def seen(page: Page, username: str) -> None:
    parts = urlsplit(page.url)
    path = f"{parts.path}?{parts.query}" if parts.query else parts.path
    paths = SEEN.setdefault(username, [])
    if path not in paths:
        paths.append(path)


def audit(browser, walk: Walk) -> None:
    """axe-core on every page seen since the last audit, in a tab that may inject it."""
    from tests.browser.axe import blocking, run_axe  # noqa: PLC0415

    for username, paths in SEEN.items():
        with browser_tab(browser, walk.server, bypass_csp=True) as tab:
            if username:
                log_in_as(tab, username, PASSWORDS.get(username, world.PASSWORD))
            for path in paths:
                tab.goto(path)
                walk.axe_findings[f"{username or '访客'} {path}"] = blocking(run_axe(tab))
    SEEN.clear()


@pytest.fixture(scope="module")
def walk(tmp_path_factory, chromium_path) -> Iterator[Walk]:
    def build(env: dict[str, str]) -> dict:
        _manage(env, "migrate", "--noinput")
        return _build_world(env)

    tmp_dir = tmp_path_factory.mktemp("review-walk")
    with clocked_server(tmp_dir, REVIEW_DAY, build) as (server, ids):
        yield Walk(server, ids)


def _build_world(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from tests.browser.review_world import build; build()",
        ],
        cwd=REPO_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"评审走查的数据准备失败：\n{result.stdout}\n{result.stderr}")
    line = next(line for line in result.stdout.splitlines() if line.startswith("WORLD:"))
    return json.loads(line.removeprefix("WORLD:"))


def log_in_as(page: Page, username: str, password: str = world.PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def nav(page: Page, name: str) -> None:
    """Follow a link of the header's navigation, as the user would."""
    page.get_by_role("navigation", name="用户导航").get_by_role("link", name=name).click()


def expect_message(page: Page, text: str) -> None:
    expect(page.locator("ul.messages")).to_contain_text(text)


# --- 专家库 and 回避 ---------------------------------------------------------------------------

NEW_EXPERT = world.EXPERTS[-1]  # added through the pool's page; declares the conflict
NEW_EXPERT_PASSWORD = "Ningbo-2023-wulijuan"
NAMES = {username: name for username, name, *_ in world.EXPERTS}
USERNAMES = {name: username for username, name in NAMES.items()}


def city_adds_an_expert(city: Page) -> None:
    username, name, organisation, title, fields = NEW_EXPERT
    nav(city, "专家评审")
    city.get_by_role("link", name="专家库").click()
    expect(city.locator("main h1")).to_have_text("专家库")
    seen(city, "city")
    city.get_by_role("link", name="添加专家").click()
    seen(city, "city")
    city.get_by_label("登录用户名").fill(username)
    city.get_by_label("初始密码").fill(NEW_EXPERT_PASSWORD)
    city.get_by_label("姓名").fill(name)
    city.get_by_label("工作单位").fill(organisation)
    city.get_by_label("职称").fill(title)
    city.get_by_label("专业领域").fill("、".join(fields))
    city.get_by_label("联系电话").fill(world.phone(username))
    city.get_by_role("button", name="保存").click()
    city.goto("/review/experts/")
    expect(city.locator("main table tbody tr", has_text=name)).to_contain_text(organisation)


def expert_declares_a_conflict(browser, server: AppServer, counterpart: str) -> None:
    """The new expert logs in and registers the 顾问 role at the 北仑 cluster's operating body."""
    with browser_tab(browser, server) as expert:
        log_in_as(expert, NEW_EXPERT[0], NEW_EXPERT_PASSWORD)
        nav(expert, "回避与利益关联")
        expect(expert.locator("main h1")).to_have_text("回避与利益关联")
        expert.get_by_label("单位/企业名称").fill(counterpart)
        expert.get_by_label("关系").select_option("顾问")
        expert.get_by_label("起始日期").fill("2021-03-01")
        expert.get_by_label("说明").fill("担任园区模具公共服务平台技术顾问")
        expert.get_by_role("button", name="登记").click()
        expect(expert.locator("main table").first).to_contain_text(counterpart)
        seen(expert, NEW_EXPERT[0])


# --- phases and assignment ----------------------------------------------------------------------


def city_opens_the_phase_and_assigns(city: Page, counterpart: str) -> None:
    """自动分配: five experts per application, the conflicted expert kept off 北仑's with the
    reason, and refused with the reason when added by hand."""
    nav(city, "专家评审")
    city.locator("tr", has_text=world.ROUND_NAME).get_by_role("link", name="评审阶段与设置").click()
    expect(city.locator("main h1")).to_have_text(f"{world.ROUND_NAME}专家评审")
    seen(city, "city")
    phase = city.locator("main table tbody tr").first
    expect(phase).to_contain_text("专家评审")
    phase.get_by_role("link", name="专家分配").click()
    expect(city.locator("main h1")).to_contain_text("专家分配")
    city.get_by_role("button", name="自动分配").click()
    expect_message(city, "已自动分配 10 个评审任务")
    conflicted = NAMES[NEW_EXPERT[0]]
    beilun = city.locator("section.assignment-row", has_text=BEILUN)
    expect(beilun).to_contain_text("有效专家 5 / 5 名")
    expect(beilun.locator("table tbody")).not_to_contain_text(conflicted)
    expect(beilun.locator("details", has_text="须回避的专家")).to_contain_text(conflicted)
    expect(beilun.locator("details", has_text="须回避的专家")).to_contain_text(counterpart)
    # Why each expert was chosen.
    expect(beilun.locator("table tbody tr").first).to_contain_text("领域")
    yuyao = city.locator("section.assignment-row", has_text=YUYAO)
    expect(yuyao).to_contain_text("有效专家 5 / 5 名")

    # By hand: refused, with the reason.
    beilun.get_by_label("人工分配专家").select_option(label=f"{conflicted}（{NEW_EXPERT[2]}）")
    beilun.get_by_label("分配理由").fill("熟悉北仑模具产业")
    beilun.get_by_role("button", name="分配").click()
    refusal = city.locator("ul.messages .error")
    expect(refusal).to_contain_text(conflicted)
    expect(refusal).to_contain_text(counterpart)
    beilun = city.locator("section.assignment-row", has_text=BEILUN)
    expect(beilun.locator("table tbody")).not_to_contain_text(conflicted)
    city.screenshot(path=screenshot_path("review-walk-assignments"), full_page=True)
    seen(city, "city")

    nav(city, "专家评审")
    city.locator("tr", has_text=world.ROUND_NAME).get_by_role("link", name="评审阶段与设置").click()
    phase = city.locator("main table tbody tr").first
    phase.get_by_role("button", name="开放").click()
    expect(city.locator("main table tbody tr").first).to_contain_text("进行中")


def assigned_experts(city: Page, cluster: str) -> list[str]:
    """The usernames of the cluster's active experts, as the assignment page lists them."""
    nav(city, "专家评审")
    city.locator("tr", has_text=world.ROUND_NAME).get_by_role("link", name="评审阶段与设置").click()
    city.locator("main table tbody tr").first.get_by_role("link", name="专家分配").click()
    rows = city.locator("section.assignment-row", has_text=cluster).locator(
        "table tbody tr:not(.muted)"
    )
    names = [rows.nth(i).locator("td").first.inner_text().strip() for i in range(rows.count())]
    return [USERNAMES[name] for name in names if name in USERNAMES]


def an_expert_recuses_and_is_replaced(browser, server: AppServer, city: Page) -> str:
    """One of 北仑's experts declares 回避 with a reason; the city sees it and replaces them.
    Returns who recused."""
    before = assigned_experts(city, BEILUN)
    assert len(before) == 5
    recusing = before[0]
    reason = "本人近两年曾为该集群运营主体开展技术咨询，申请回避。"
    with browser_tab(browser, server) as expert:
        log_in_as(expert, recusing)
        nav(expert, "回避与利益关联")
        expert.get_by_role("link", name="我的评审任务").click()
        seen(expert, recusing)
        row = expert.locator("main table tbody tr", has_text=BEILUN)
        row.get_by_label("回避理由").fill(reason)
        row.get_by_role("button", name="申请回避").click()
        expect_message(expert, "申请回避")
        expect(expert.locator("main table tbody")).not_to_contain_text(BEILUN)

    # The city is told.
    city.goto("/notifications/")
    expect(city.locator("main")).to_contain_text(f"专家{NAMES[recusing]}申请回避")
    assigned_experts(city, BEILUN)
    beilun = city.locator("section.assignment-row", has_text=BEILUN)
    expect(beilun).to_contain_text("还差 1 名")
    ended = beilun.locator("tr.muted", has_text=NAMES[recusing])
    expect(ended).to_contain_text("已回避")
    expect(ended).to_contain_text(reason)
    ended.get_by_role("button", name="补充分配（自动）").click()
    beilun = city.locator("section.assignment-row", has_text=BEILUN)
    expect(beilun).to_contain_text("有效专家 5 / 5 名")
    after = assigned_experts(city, BEILUN)
    assert recusing not in after
    assert NEW_EXPERT[0] not in after
    return recusing


# --- scoring --------------------------------------------------------------------------------

# The same score on every aspect gives a weighted total of ten times it. 北仑: one expert far
# above and one far below the others, so that the trimmed mean (去掉一个最高分和一个最低分)
# differs from the mean and the spread is flagged; 余姚 below 北仑 in every figure.
SCORES = {BEILUN: (9.5, 8.6, 8.2, 7.6, 5.0), YUYAO: (8.0, 7.8, 7.5, 7.2, 7.0)}
PASSWORDS = {NEW_EXPERT[0]: NEW_EXPERT_PASSWORD}


def trimmed_mean(totals: list[float]) -> float:
    kept = sorted(totals)[1:-1]
    return sum(kept) / len(kept)


def expert_scores(
    browser, server: AppServer, username: str, cluster: str, score: float, *, reload: bool
) -> None:
    """The expert opens the sheet from their task list, scores every aspect (with the comments
    the rubric requires) and submits. With ``reload``, the first score is typed alone, autosaved,
    and still there after a reload."""
    with browser_tab(browser, server) as expert:
        log_in_as(expert, username, PASSWORDS.get(username, world.PASSWORD))
        expect(expert.locator("main h1")).to_have_text("评审任务")
        seen(expert, username)
        task = expert.locator("table.scoring-tasks tbody tr", has_text=cluster)
        task.get_by_role("link", name="评分").click()
        expect(expert.locator("main h1")).to_have_text(cluster)
        seen(expert, username)
        status = expert.locator("#autosave-status")
        aspects = expert.locator("#score-form .aspect", has=expert.locator(".score-input"))
        expect(aspects).to_have_count(8)
        if reload:
            aspects.first.get_by_label("得分").fill(f"{score}")
            expect(status).to_contain_text("草稿已保存")
            expert.reload()
            status = expert.locator("#autosave-status")
            aspects = expert.locator("#score-form .aspect", has=expert.locator(".score-input"))
            expect(aspects.first.get_by_label("得分")).to_have_value(f"{score}")
        for index in range(aspects.count()):
            aspect = aspects.nth(index)
            aspect.get_by_label("得分").fill(f"{score}")
            required = aspect.get_by_label("评语（必填）")
            if required.count():
                required.fill(
                    f"{aspect.locator('h3').inner_text()[:12]}：材料翔实，得 {score} 分。"
                )
        expert.get_by_label("推荐认定").check()
        expect(status).to_contain_text("草稿已保存")
        if reload:
            expert.screenshot(path=screenshot_path("review-walk-score-sheet"), full_page=False)
        expert.get_by_role("button", name="提交评分（提交后不能修改）").click()
        expect_message(expert, "评分表已提交")


def experts_score(browser, server: AppServer, city: Page) -> dict[str, list[str]]:
    """Every active expert scores their assignments (in the order of ``SCORES``); returns who
    scored each cluster."""
    panel: dict[str, list[str]] = {}
    first = True
    for cluster, scores in SCORES.items():
        panel[cluster] = assigned_experts(city, cluster)
        assert len(panel[cluster]) == len(scores)
        for username, score in zip(panel[cluster], scores, strict=True):
            expert_scores(browser, server, username, cluster, score, reload=first)
            first = False
    return panel


def city_closes_the_phase_and_reads_the_ranking(city: Page, panel: dict[str, list[str]]) -> None:
    totals = {cluster: [score * 10 for score in scores] for cluster, scores in SCORES.items()}
    nav(city, "专家评审")
    city.locator("tr", has_text=world.ROUND_NAME).get_by_role("link", name="评审阶段与设置").click()
    city.locator("main table tbody tr").first.get_by_role("button", name="结束").click()
    expect(city.locator("main table tbody tr").first).to_contain_text("已结束")

    nav(city, "专家评分")
    city.get_by_role("link", name=world.ROUND_NAME).click()
    city.locator("main").get_by_role("link", name="评审排名").click()
    expect(city.locator("main h1")).to_contain_text("评审排名")
    seen(city, "city")
    expect(city.locator("main")).to_contain_text("去掉一个最高分和一个最低分")
    rows = city.locator("table.ranking tbody tr")
    expect(rows).to_have_count(2)
    header = city.locator("table.ranking thead th").all_inner_texts()
    trimmed_column = header.index("去极值平均分")
    mean_column = header.index("平均分")
    for position, cluster in enumerate((BEILUN, YUYAO), start=1):
        row = rows.nth(position - 1)
        expect(row).to_contain_text(cluster)
        cells = row.locator("td")
        expect(cells.first).to_have_text(str(position))
        shown = float(cells.nth(trimmed_column).inner_text().split()[0])
        assert shown == pytest.approx(trimmed_mean(totals[cluster]), abs=0.01)
        mean = float(cells.nth(mean_column).inner_text().split()[0])
        assert mean == pytest.approx(sum(totals[cluster]) / 5, abs=0.01)
    expect(rows.first).to_contain_text("专家意见分歧")  # 北仑: 95 against 50
    # README's docs/screenshot-ranking.png is a copy (the tests write nothing tracked by git).
    save_readme_screenshot(city, screenshot_path("ranking"))

    # Every figure opens the scores behind it.
    rows.first.get_by_role("link", name=BEILUN).click()
    expect(city.locator("main")).to_contain_text(BEILUN)
    for username in panel[BEILUN]:  # names shown now that the phase is closed
        expect(city.locator("main")).to_contain_text(NAMES[username])
    city.screenshot(path=screenshot_path("review-walk-scores-behind"), full_page=True)
    seen(city, "city")


def save_readme_screenshot(page: Page, path: Path) -> None:
    """The ranking as the README shows it: the page's content at 1200 px wide, palette PNG."""
    page.set_viewport_size({"width": 1200, "height": 900})
    box = page.locator("main").bounding_box()
    # From just below the header's bottom border to the end of the content.
    top = box["y"] + 4
    clip = {"x": box["x"], "y": top, "width": box["width"], "height": box["height"] - 4}
    page.screenshot(path=str(path), clip=clip, full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    shrink_png(path)


def shrink_png(path: Path) -> None:
    from PIL import Image  # noqa: PLC0415

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


# --- 现场答辩 and 实地走访 ----------------------------------------------------------------------

DEFENCE_DAY = dt.date(2023, 9, 20)
VISIT_DAY = dt.date(2023, 9, 22)
DEFENCE_PLACE = "宁波市经济和信息化局 3 楼会议室"
QUESTION = "集群内中小企业数字化改造的投入主要来自哪里？"
ANSWER = "以企业自筹为主，区财政按设备投资额的 15% 给予补助。"


def hearings_page(city: Page) -> None:
    nav(city, "答辩与走访")
    city.get_by_role("link", name=world.ROUND_NAME).click()
    expect(city.locator("main h1")).to_contain_text("现场答辩与实地走访")
    seen(city, "city")


def city_schedules_a_defence(city: Page, walk: Walk) -> None:
    """安排答辩 for 北仑 on the 20th; the county is told, the 日程表 lists it."""
    hearings_page(city)
    defence = city.locator("#defence")
    defence.locator("li", has_text=BEILUN).get_by_role("link", name="安排答辩").click()
    expect(city.locator("main h1")).to_have_text("安排现场答辩")
    seen(city, "city")
    expect(city.get_by_label("申报")).to_have_value(str(walk.applications["北仑区"]))
    city.get_by_label("答辩日期").fill(DEFENCE_DAY.isoformat())
    city.get_by_label("开始时间").fill("09:00")
    city.get_by_label("结束时间").fill("09:40")
    city.get_by_label("答辩地点").fill(DEFENCE_PLACE)
    city.get_by_role("button", name="安排并通知区县").click()
    row = city.locator("#defence table tbody tr", has_text=BEILUN)
    expect(row).to_contain_text(DEFENCE_PLACE)
    expect(row).to_contain_text("2023-09-20")


def city_records_the_defence(city: Page) -> None:
    hearings_page(city)
    row = city.locator("#defence table tbody tr", has_text=BEILUN)
    row.get_by_role("link", name="记录答辩").click()
    expect(city.locator("main h1")).to_contain_text("答辩记录")
    seen(city, "city")
    city.get_by_label("到场", exact=True).check()
    # By name: the box is named by its fieldset's legend today (see notes-walk.md).
    city.locator("textarea[name=attendees]").fill(
        "王海峰（北仑区经济和信息化局，科长）；陈立群（园区管委会，主任）"
    )
    city.locator("textarea[name=question]").first.fill(QUESTION)
    city.locator("textarea[name=answer]").first.fill(ANSWER)
    city.get_by_role("button", name="保存答辩记录").click()
    hearings_page(city)
    row = city.locator("#defence table tbody tr", has_text=BEILUN)
    expect(row.get_by_role("link", name="修改记录")).to_be_visible()


def city_plans_a_site_visit(city: Page) -> None:
    hearings_page(city)
    city.locator("#visits").get_by_role("link", name="安排实地走访").click()
    expect(city.locator("main h1")).to_have_text("安排实地走访")
    seen(city, "city")
    city.get_by_label("申报").select_option(label=f"{BEILUN}（北仑区经济和信息化局）")
    city.get_by_label("走访日期").fill(VISIT_DAY.isoformat())
    city.get_by_label("走访人员（市、区县经信部门人员等，姓名和单位）").fill(
        "市经信局中小企业处 李华；北仑区经济和信息化局 王海峰"
    )
    city.get_by_label(f"{NAMES['expert3']}（{world.EXPERTS[2][2]}）").check()
    city.get_by_role("button", name="安排走访").click()
    expect(city.locator("main h1")).to_contain_text("实地走访")


def city_records_the_site_visit(city: Page, tmp_path: Path) -> None:
    """Findings per aspect, a photo, and the conclusion 属实."""
    hearings_page(city)
    city.locator("#visits table tbody tr", has_text=BEILUN).get_by_role("link").first.click()
    expect(city.locator("main h1")).to_have_text(f"实地走访：{BEILUN}")
    record = city.locator("#record")
    record.get_by_label("具有较强核心竞争力").fill("园区集中连片，龙头企业产能与申报一致。")
    record.get_by_label("具有较强治理和服务能力").fill("共享制造中心设备台账与现场一致。")
    record.get_by_role("group", name="核查结论").get_by_label("属实", exact=True).check()
    record.get_by_role("button", name="保存走访结论").click()
    expect(city.locator("dl.facts").first).to_contain_text("属实")
    photo = tmp_path / "走访照片-共享制造中心.png"
    make_photo(photo)
    city.locator("#files").get_by_label(re.compile("上传照片或文件")).set_input_files(photo)
    city.locator("#files").get_by_role("button", name="上传", exact=True).click()
    expect(city.locator("#files")).to_contain_text(photo.name)
    city.screenshot(path=screenshot_path("review-walk-site-visit"), full_page=True)
    seen(city, "city")


def make_photo(path: Path) -> None:
    from PIL import Image, ImageDraw  # noqa: PLC0415

    image = Image.new("RGB", (320, 200), (200, 215, 230))
    ImageDraw.Draw(image).rectangle((40, 60, 280, 170), fill=(90, 110, 130))
    image.save(path)


# --- 会审, 公示, 异议 -----------------------------------------------------------------------------

DECISION_DAY = dt.date(2023, 9, 25)
REJECT_REASON = "综合评分和实地走访情况，本批次暂不予认定，请对照认定标准进一步培育。"
OBJECTION_ANONYMOUS = "该集群申报的规上企业数与统计年报不一致。"
OBJECTION_SIGNED = "园区内某企业2022年曾因环保问题被处罚，请核实是否影响认定。"
OBJECTOR = ("赵明", "宁波某模具有限公司", "13900001111")


def city_decides(city: Page) -> None:
    """会审: 北仑 (rank 1) proposed, 余姚 (rank 2) not, with the reason the county sees."""
    nav(city, "会审与公示")
    city.get_by_role("link", name=re.compile("进入会审")).click()
    expect(city.locator("main h1")).to_contain_text("会审")
    seen(city, "city")
    beilun = city.locator("main table tbody tr", has_text=BEILUN)
    expect(beilun).to_contain_text("属实")  # the site visit's conclusion beside the ranking
    city.get_by_label(f"拟认定：{BEILUN}").check()
    city.get_by_label(f"拟认定：{YUYAO}").uncheck()
    city.get_by_label(f"{YUYAO}不予认定理由").fill(REJECT_REASON)
    city.get_by_label("会审日期").fill(DECISION_DAY.isoformat())
    city.get_by_label("参会人员").fill("市经信局分管领导、中小企业处、产业处，评审专家组组长张建国")
    city.get_by_label("会议纪要").fill(
        "会议研究了专家评审排名和实地走访结论，同意北仑模具集群拟认定。"
    )
    city.get_by_role("button", name="记录会审决定").click()
    expect(city.locator("main")).to_contain_text("拟认定")


def the_county_reads_why(browser, server: AppServer, panel: dict[str, list[str]]) -> None:
    """余姚's officer sees 未认定 (the 会审 said 不予认定) with the reason, and no expert's name
    or score."""
    with browser_tab(browser, server) as county:
        log_in_as(county, "yuyao")
        county.goto("/county/")
        expect(county.locator("main tr", has_text=YUYAO)).to_contain_text("未认定")
        county.goto("/notifications/")
        expect(county.locator("main")).to_contain_text(REJECT_REASON)
        for username in panel[YUYAO]:
            expect(county.locator("main")).not_to_contain_text(NAMES[username])
        expect(county.locator("main")).not_to_contain_text("去极值")


def city_starts_the_publicity(city: Page) -> dt.date:
    """公示 from Wednesday 27 September 2023: five working days end after 国庆节."""
    nav(city, "会审与公示")
    city.get_by_label(re.compile("公示开始日期")).fill(PUBLICITY_START.isoformat())
    city.get_by_label("异议受理联系人及方式").fill("市经信局中小企业处 李华 0574-89180000")
    city.get_by_role("button", name="发起公示").click()
    expect(city.locator("main h1")).to_contain_text("拟认定名单的公示")
    period = city.locator("dl.facts dd").first
    expect(period).to_contain_text("2023年9月27日至")
    found = re.search(r"至(\d{4})年(\d{1,2})月(\d{1,2})日", period.inner_text())
    ends_on = dt.date(*(int(part) for part in found.groups()))
    # 9/27, 9/28, then 9/29–10/6 are 中秋节 and 国庆节; 10/7 and 10/8 are worked (调休).
    assert ends_on == dt.date(2023, 10, 9)
    expect(city.locator("main table tbody tr", has_text=BEILUN)).to_contain_text("拟认定")
    expect(city.locator("main")).not_to_contain_text(YUYAO)
    return ends_on


def the_public_reads_the_publicity(browser, server: AppServer, tmp_path: Path) -> None:
    """/gongshi/, logged out: the cluster under 公示, how to object, the notice in Word."""
    with browser_tab(browser, server, accept_downloads=True) as public:
        public.goto("/gongshi/")
        expect(public.locator("main h1")).to_have_text("公示")
        notice = public.locator("main section.card", has_text=BEILUN)
        expect(notice).to_contain_text("2023年9月27日至2023年10月9日")
        expect(notice).to_contain_text("如何提出异议")
        expect(public.locator("main")).not_to_contain_text(YUYAO)
        with public.expect_download() as download_info:
            notice.get_by_role("link", name="下载公示通知（Word）").click()
        saved = tmp_path / "gongshi.docx"
        download_info.value.save_as(saved)
        text = docx_text(saved)
        assert BEILUN in text
        assert "2023年10月9日" in text
        public.screenshot(path=screenshot_path("review-walk-gongshi"), full_page=True)
        seen(public, "")


def docx_text(path: Path) -> str:
    import docx  # noqa: PLC0415

    document = docx.Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def objections_are_recorded_and_handled(city: Page) -> None:
    nav(city, "会审与公示")
    city.locator("main table tbody tr", has_text="2023-09-27").get_by_role("link").first.click()
    expect(city.locator("dl.facts dd").first).to_contain_text("公示中")
    objections = city.locator("#objections")
    # Anonymous: recorded, marked not accepted.
    objections.get_by_label("异议对象").select_option(label=BEILUN)
    objections.get_by_label("收到日期").fill("2023-09-27")
    objections.get_by_label("异议内容").fill(OBJECTION_ANONYMOUS)
    objections.get_by_role("button", name="登记异议").click()
    anonymous = city.locator("#objections article", has_text=OBJECTION_ANONYMOUS)
    expect(anonymous).to_contain_text("（未署名）")
    expect(anonymous).to_contain_text("不予受理")
    # Signed: recorded, investigated, 不成立.
    objections = city.locator("#objections")
    objections.get_by_label("异议对象").select_option(label=BEILUN)
    name, organisation, contact = OBJECTOR
    objections.get_by_label("异议人姓名").fill(name)
    objections.get_by_label(re.compile("异议单位")).fill(organisation)
    objections.get_by_label("联系方式").fill(contact)
    objections.get_by_label("收到日期").fill("2023-09-28")
    objections.get_by_label("异议内容").fill(OBJECTION_SIGNED)
    objections.get_by_role("button", name="登记异议").click()
    signed = city.locator("#objections article", has_text=OBJECTION_SIGNED)
    expect(signed).to_contain_text(name)
    signed.get_by_label("调查核实情况").fill(
        "经向生态环境分局核实，处罚对象为园区外企业，与集群申报无关。"
    )
    signed.get_by_label("处理结论").select_option(label="不成立")
    signed.get_by_role("button", name="记录").first.click()
    signed = city.locator("#objections article", has_text=OBJECTION_SIGNED)
    expect(signed).to_contain_text("不成立")
    city.screenshot(path=screenshot_path("review-walk-objections"), full_page=True)
    seen(city, "city")
    nav(city, "会审与公示")
    seen(city, "city")


# --- 发文, registry, 择优推荐 ------------------------------------------------------------------


def city_cannot_certify_during_the_publicity(city: Page) -> None:
    nav(city, "认定名录")
    city.get_by_role("link", name=world.ROUND_NAME).click()
    row = city.locator("main table tbody tr", has_text=BEILUN)
    expect(row).to_contain_text("暂不能认定")


def city_certifies(city: Page) -> None:
    nav(city, "认定名录")
    city.get_by_role("link", name=world.ROUND_NAME).click()
    expect(city.locator("main h1")).to_contain_text("发文认定")
    row = city.locator("main table tbody tr", has_text=BEILUN)
    expect(row).to_contain_text("可以认定")
    expect(row.get_by_label(f"选择“{BEILUN}”")).to_be_checked()
    city.get_by_label("文号").fill(DOCUMENT_NUMBER)
    city.get_by_label("发文日期").fill("2023-10-11")
    city.get_by_role("button", name="登记发文并认定所选集群").click()
    expect(city.locator("main")).to_contain_text(DOCUMENT_NUMBER)
    seen(city, "city")


def the_public_and_the_registry_show_the_cluster(browser, server: AppServer, city: Page) -> None:
    with browser_tab(browser, server) as public:
        public.goto("/certified/")
        row = public.locator("main table tbody tr", has_text=BEILUN)
        expect(row).to_contain_text(DOCUMENT_NUMBER)
        expect(row).to_contain_text("2026")  # valid three years
        expect(public.locator("main")).not_to_contain_text(YUYAO)
        public.screenshot(path=screenshot_path("review-walk-certified"), full_page=True)
        seen(public, "")
    nav(city, "认定名录")
    expect(city.locator("main h1")).to_have_text("认定名录")
    seen(city, "city")
    row = city.locator("table.registry tbody tr", has_text=BEILUN)
    expect(row).to_contain_text(DOCUMENT_NUMBER)
    expect(row).to_contain_text("北仑")
    expect(row).to_contain_text(world.ROUND_NAME)
    expect(row).to_contain_text("有效")


def city_recommends_and_downloads_the_package(city: Page, tmp_path: Path) -> None:
    nav(city, "认定名录")
    city.locator("main .links").first.get_by_role("link", name="择优推荐").click()
    expect(city.locator("main h1")).to_have_text("择优推荐")
    seen(city, "city")
    city.get_by_label(f"推荐“{BEILUN}”").check()
    city.get_by_label(f"“{BEILUN}”的推荐理由").fill(
        "主导产业特色鲜明，专家评审排名第一，实地走访属实，公示无成立异议。"
    )
    city.get_by_label("发函日期").fill("2023-10-16")
    city.get_by_role("button", name="记录推荐").click()
    link = city.get_by_role("link", name=re.compile("下载推荐材料")).first
    with city.expect_download() as download_info:
        link.click()
    saved = tmp_path / "recommendation.zip"
    download_info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        letters = [name for name in names if name.endswith(".docx") and "/" not in name]
        assert letters, names
        letter_texts = []
        for name in letters:
            path = tmp_path / Path(name).name
            path.write_bytes(archive.read(name))
            letter_texts.append(docx_text(path))
        assert any(BEILUN in text for text in letter_texts)
        assert any(name.endswith(".xlsx") for name in names)
        forms = [name for name in names if "附件2" in name and name.endswith(".docx")]
        assert len(forms) == 1, names
        form = tmp_path / "form.docx"
        form.write_bytes(archive.read(forms[0]))
        assert BEILUN in docx_text(form)
        # The cluster's electronic package, its evidence inside.
        packages = [name for name in names if name.endswith(".zip")]
        assert len(packages) == 1, names
        with zipfile.ZipFile(io.BytesIO(archive.read(packages[0]))) as package:
            assert package.testzip() is None
            assert any(name.lower().endswith(".pdf") for name in package.namelist())


DEFENCE_RECORDED_AT = dt.datetime(2023, 9, 20, 10, 0, tzinfo=world.SHANGHAI)
DECISION_AT = dt.datetime(2023, 9, 25, 9, 0, tzinfo=world.SHANGHAI)
DURING_PUBLICITY = dt.datetime(2023, 9, 28, 10, 0, tzinfo=world.SHANGHAI)


def test_from_accepted_to_certified(walk: Walk, browser, tmp_path):
    counterpart = BEILUN_DATA["part1"]["operator"]
    with browser_tab(browser, walk.server, accept_downloads=True) as city:
        log_in_as(city, "city")
        city_adds_an_expert(city)
        expert_declares_a_conflict(browser, walk.server, counterpart)
        city_opens_the_phase_and_assigns(city, counterpart)
        an_expert_recuses_and_is_replaced(browser, walk.server, city)
        city_schedules_a_defence(city, walk)

        walk.set_clock(DEFENCE_RECORDED_AT)
        city_records_the_defence(city)
        panel = experts_score(browser, walk.server, city)
        audit(browser, walk)  # the experts' pages while their phase is open
        city_closes_the_phase_and_reads_the_ranking(city, panel)
        city_plans_a_site_visit(city)

        walk.set_clock(DECISION_AT)
        city_records_the_site_visit(city, tmp_path)
        SEEN.setdefault("city", []).append(f"/publicity/rounds/{walk.round}/decision/")
        audit(browser, walk)  # the 会审 page while it still lists the clusters to decide on
        city_decides(city)
        the_county_reads_why(browser, walk.server, panel)
        city_starts_the_publicity(city)

        walk.set_clock(DURING_PUBLICITY)
        the_public_reads_the_publicity(browser, walk.server, tmp_path)
        objections_are_recorded_and_handled(city)
        city_cannot_certify_during_the_publicity(city)
        audit(browser, walk)  # the 公示 while it runs

        walk.set_clock(AFTER_PUBLICITY)
        city_certifies(city)
        the_public_and_the_registry_show_the_cluster(browser, walk.server, city)
        city_recommends_and_downloads_the_package(city, tmp_path)
        audit(browser, walk)


def test_the_new_pages_pass_axe(walk: Walk):
    """axe-core finds no serious or critical violation on the pages the walk went through."""
    from tests.browser.axe import describe  # noqa: PLC0415

    assert len(walk.axe_findings) >= 20, sorted(walk.axe_findings)
    failing = {page: found for page, found in walk.axe_findings.items() if found}
    report = "\n\n".join(f"{page}\n{describe(found)}" for page, found in failing.items())
    assert not failing, f"{len(failing)} of {len(walk.axe_findings)} pages:\n\n{report}"
