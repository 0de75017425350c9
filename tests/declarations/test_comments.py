"""审核意见: the city's comments at the field, sent with a return, answered by the county, closed
by the city; and the revision diff that shows whether each commented field changed."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusterdesk.declarations.domain.comments import (
    CommentRefused,
    add_comment,
    close,
    comments_of,
    open_counts,
    reply,
    visible_comments,
)
from clusterdesk.declarations.domain.editing import Change, save_changes
from clusterdesk.declarations.enums import ApplicationState as S
from clusterdesk.declarations.models import Comment, CommentReply, CommentStatus
from clusterdesk.declarations.workflow import TransitionRefused, transition
from clusterdesk.intake.domain.desk import send_back
from clusterdesk.notifications.models import Notification
from clusterdesk.shared.appendonly import AppendOnlyError
from tests.factories import make_application, make_city_officer, make_county_officer, make_round

pytestmark = pytest.mark.django_db

FIELD = "part2.total_output.2021"
FIELD_PLACE = "二、主导产业情况 · 集群总产值（亿元） · 2021年"
ROW_PLACE = "二、主导产业情况 · 集群总产值（亿元）"


@pytest.fixture
def city():
    return make_city_officer()


@pytest.fixture
def county():
    return make_county_officer()


@pytest.fixture
def submitted(county):
    return make_application(officer=county, cluster_name="本县模具产业集群", path=(S.SUBMITTED,))


def _text(response) -> str:
    return html.unescape(response.content.decode())


# --- domain -------------------------------------------------------------------------------------


def test_a_comment_keeps_the_official_place_of_its_field(submitted, city):
    comment = add_comment(submitted, city, FIELD, "2021年产值与统计报表不一致")
    assert comment.place == FIELD_PLACE
    assert comment.status == CommentStatus.DRAFT
    part = add_comment(submitted, city, "part3", "创新情况整体偏弱")
    whole = add_comment(submitted, city, "", "请核对全部数据年份")
    assert part.place.startswith("三、")
    assert whole.place == "整份申报"


@pytest.mark.parametrize(
    "path", ["part2.no_such_box", "part99", "part2.total_output.1999x", "x" * 400]
)
def test_a_comment_on_a_field_that_does_not_exist_is_refused_and_nothing_saved(
    submitted, city, path
):
    with pytest.raises(CommentRefused) as refused:
        add_comment(submitted, city, path, "意见")
    assert refused.value.message == "批注的栏目不存在（申报表中没有该栏目），未保存。"
    assert not Comment.objects.exists()


def test_empty_and_overlong_comments_are_refused(submitted, city):
    with pytest.raises(CommentRefused, match="请填写审核意见"):
        add_comment(submitted, city, FIELD, "   ")
    with pytest.raises(CommentRefused, match="最多 1000 字"):
        add_comment(submitted, city, FIELD, "长" * 1001)
    assert not Comment.objects.exists()


def test_only_the_city_comments_and_only_while_the_application_is_with_it(county, city):
    draft = make_application(officer=county)
    with pytest.raises(CommentRefused, match="只有已提交或审核中的申报可以批注"):
        add_comment(draft, city, FIELD, "意见")
    submitted = make_application(officer=county, path=(S.SUBMITTED,))
    with pytest.raises(CommentRefused, match="只有市经信局可以提出审核意见"):
        add_comment(submitted, county, FIELD, "意见")


def test_drafts_are_the_citys_until_the_return_publishes_them(submitted, city, county):
    comment = add_comment(submitted, city, FIELD, "产值有误")
    assert list(visible_comments(county)) == []
    assert comments_of(submitted, city) == [comment]

    send_back(submitted, city, "请按批注修改")

    comment.refresh_from_db()
    event = submitted.events.latest("pk")
    assert comment.status == CommentStatus.OPEN
    assert comment.returned_with == event
    assert comment.returned_snapshot == submitted.submissions.latest("pk")
    assert list(visible_comments(county)) == [comment]


def test_a_return_without_a_reason_publishes_nothing(submitted, city, county):
    add_comment(submitted, city, FIELD, "产值有误")
    with pytest.raises(TransitionRefused, match="请填写退回理由"):
        send_back(submitted, city, "  ")
    assert Comment.objects.get().status == CommentStatus.DRAFT
    assert list(visible_comments(county)) == []


def test_another_county_never_sees_the_comments(submitted, city):
    add_comment(submitted, city, FIELD, "产值有误")
    send_back(submitted, city, "请修改")
    other = make_county_officer()
    assert list(visible_comments(other)) == []
    with pytest.raises(CommentRefused, match="只有本单位"):
        reply(Comment.objects.get(), other, "不是我们的")


def test_reply_answer_close_and_a_second_return_reopens_what_was_not_closed(
    submitted, city, county
):
    first = add_comment(submitted, city, FIELD, "产值有误")
    second = add_comment(submitted, city, "part3", "创新偏弱")
    with pytest.raises(CommentRefused, match="被退回后方可回复"):
        reply(first, county, "已改")
    send_back(submitted, city, "请修改")

    reply(first, county, "请问是哪一个口径？")
    first.refresh_from_db()
    assert first.status == CommentStatus.OPEN  # a question back leaves it open
    reply(first, county, "已按统计口径更正", answered=True)
    reply(second, county, "", answered=True)
    assert {c.status for c in Comment.objects.all()} == {CommentStatus.ANSWERED}
    assert open_counts([submitted.pk]) == {}

    transition(submitted, S.SUBMITTED, county)
    close(first, city)
    with pytest.raises(CommentRefused, match="已关闭"):
        close(first, city)
    send_back(submitted, city, "创新部分仍需补充")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == CommentStatus.CLOSED
    assert first.closed_by == city
    assert second.status == CommentStatus.OPEN  # answered but not closed: open again
    assert open_counts([submitted.pk]) == {submitted.pk: 1}
    with pytest.raises(CommentRefused, match="已由市经信局关闭"):
        reply(first, county, "再补充")


def test_replies_are_never_changed_or_deleted(submitted, city, county):
    comment = add_comment(submitted, city, FIELD, "产值有误")
    send_back(submitted, city, "请修改")
    answer = reply(comment, county, "已改", answered=True)
    answer.text = "改过的回复"
    with pytest.raises(AppendOnlyError):
        answer.save()
    with pytest.raises(AppendOnlyError):
        answer.delete()
    assert CommentReply.objects.get().text == "已改"


# --- views --------------------------------------------------------------------------------------


def test_the_city_comments_from_the_read_only_form_page(client, submitted, city):
    client.force_login(city)
    page = reverse("form:page", args=[submitted.pk, "part2"])
    text = _text(client.get(page))
    # A year cell's comment is made and shown at its row (the column of years).
    assert f'aria-label="批注：{ROW_PLACE}"' in text

    url = reverse("form:comment_new", args=[submitted.pk])
    form = _text(client.get(url, {"path": FIELD, "next": page}))
    assert FIELD_PLACE in form
    assert "审核意见" in form
    response = client.post(url, {"path": FIELD, "text": "产值偏高，请核实", "next": page})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page}#comment-{comment.pk}"
    assert "产值偏高，请核实" in _text(client.get(page))


def test_a_comment_posted_at_a_field_that_does_not_exist_says_so(client, submitted, city):
    client.force_login(city)
    url = reverse("form:comment_new", args=[submitted.pk])
    response = client.post(url, {"path": "part2.nothing_here", "text": "意见"})
    assert response.status_code == 400
    assert "批注的栏目不存在" in _text(response)
    assert not Comment.objects.exists()


def test_the_county_sees_replies_and_marks_answered_at_the_field(client, submitted, city, county):
    comment = add_comment(submitted, city, FIELD, "产值偏高，请核实")
    client.force_login(county)
    page = reverse("form:page", args=[submitted.pk, "part2"])
    assert "产值偏高" not in _text(client.get(page))  # a draft: the city's alone
    send_back(submitted, city, "请按批注修改")

    text = _text(client.get(page))
    assert "产值偏高，请核实" in text
    assert 'class="review-comment status-open"' in text
    assert "标记已处理" in text
    assert "批注：" not in text
    response = client.post(
        reverse("form:comment_reply", args=[comment.pk]),
        {"text": "已按统计口径更正", "answered": "1", "next": page},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.ANSWERED
    text = _text(client.get(page))
    assert "已按统计口径更正" in text
    assert "区县已处理" in text
    check = _text(client.get(reverse("county:check", args=[submitted.pk])))
    assert "审核意见（1 条未关闭）" in check
    assert f"#comment-{comment.pk}" in check


def test_the_intake_page_lists_comments_counts_drafts_and_closes(client, submitted, city):
    client.force_login(city)
    url = reverse("intake:application", args=[submitted.pk])
    response = client.post(
        reverse("form:comment_new", args=[submitted.pk]),
        {"path": "", "text": "整份申报数据年份有误", "next": url},
    )
    assert response.status_code == 302
    add_comment(submitted, city, FIELD, "产值偏高")
    text = _text(client.get(url))
    assert "整份申报数据年份有误" in text
    assert "随退回发出 <strong>2</strong> 条批注" in text
    comment = Comment.objects.get(path=FIELD)
    client.post(reverse("form:comment_close", args=[comment.pk]), {"next": url})
    comment.refresh_from_db()
    assert comment.status == CommentStatus.CLOSED
    assert "随退回发出 <strong>1</strong> 条批注" in _text(client.get(url))


def test_the_intake_page_picks_the_field_of_a_comment(client, submitted, city):
    """The shared picker (declarations/comments/_review.html) offers the declaration's places,
    page by page, and anchors the comment at the one picked."""
    client.force_login(city)
    url = reverse("intake:application", args=[submitted.pk])
    text = _text(client.get(url))
    assert '<option value="">整份申报</option>' in text
    assert '<optgroup label="二、主导产业情况">' in text
    assert f'<option value="{FIELD}">' in text
    response = client.post(
        reverse("form:comment_new", args=[submitted.pk]),
        {"path": FIELD, "text": "产值偏高", "next": url},
    )
    comment = Comment.objects.get(application=submitted)
    assert response["Location"] == f"{url}#comment-{comment.pk}"
    assert comment.path == FIELD


def test_a_county_may_not_close_or_comment(client, submitted, city, county):
    comment = add_comment(submitted, city, FIELD, "产值偏高")
    send_back(submitted, city, "请修改")
    client.force_login(county)
    assert client.post(reverse("form:comment_close", args=[comment.pk])).status_code == 403
    new = reverse("form:comment_new", args=[submitted.pk])
    assert client.post(new, {"path": FIELD, "text": "x"}).status_code == 403
    assert Comment.objects.get().status == CommentStatus.OPEN


def test_the_diff_shows_the_resubmission_against_the_returned_snapshot(
    client, submitted, city, county
):
    comment = add_comment(submitted, city, FIELD, "产值偏高")
    untouched = add_comment(submitted, city, "part1.cluster_name", "名称请规范")
    send_back(submitted, city, "请修改")
    old_value = submitted.data["part2"]["total_output"]["2021"]
    save_changes(submitted, [Change(FIELD, "99.5", old_value)], county)
    submitted.refresh_from_db()
    reply(comment, county, "已更正为99.5", answered=True)
    transition(submitted, S.SUBMITTED, county)

    client.force_login(city)
    text = _text(client.get(reverse("form:diff", args=[submitted.pk])))
    assert FIELD_PLACE in text
    assert "99.50" in text
    assert "有审核意见" in text
    assert "栏目已修改（1 处）" in text
    assert "已更正为99.5" in text
    assert "栏目未修改" in text
    assert untouched.place in text
    assert "关闭意见" in text


def test_a_county_sees_only_its_own_diffs(client, submitted, city):
    send_back(submitted, city, "请修改")
    other = make_county_officer()
    client.force_login(other)
    assert client.get(reverse("form:diff", args=[submitted.pk])).status_code == 404


def test_the_diff_of_an_unknown_snapshot_is_not_found(client, submitted, city):
    foreign = make_application(path=(S.SUBMITTED,))
    client.force_login(city)
    url = reverse("form:diff", args=[submitted.pk])
    mine = submitted.submissions.get().pk
    theirs = foreign.submissions.get().pk
    assert client.get(url, {"old": theirs, "new": mine}).status_code == 404
    assert client.get(url, {"old": "x", "new": mine}).status_code == 404
    assert "暂无可比较的版本" in _text(client.get(url))


def test_the_inbox_filters_applications_with_unanswered_comments(client, city):
    round_ = make_round()
    with_comment = make_application(round_=round_, cluster_name="甲集群", path=(S.SUBMITTED,))
    make_application(round_=round_, cluster_name="乙集群", path=(S.SUBMITTED,))
    add_comment(with_comment, city, FIELD, "产值偏高")
    send_back(with_comment, city, "请修改")
    client.force_login(city)
    url = reverse("intake:inbox")
    yes = _text(client.get(url, {"round": round_.pk, "comments": "yes"}))
    no = _text(client.get(url, {"round": round_.pk, "comments": "no"}))
    assert "甲集群" in yes
    assert "乙集群" not in yes
    assert "乙集群" in no
    assert "甲集群" not in no


def test_the_county_dashboard_counts_open_comments_in_a_flat_number_of_queries(client, city):
    county = make_county_officer()
    round_ = make_round(county_limit=10)
    apps = [
        make_application(
            round_=round_, officer=county, cluster_name=f"集群{i}", path=(S.SUBMITTED,)
        )
        for i in range(2)
    ]
    for app in apps:
        add_comment(app, city, FIELD, "产值偏高")
        send_back(app, city, "请修改")
    client.force_login(county)
    url = reverse("county:dashboard")
    client.get(url)  # summaries kept
    with CaptureQueriesContext(connection) as few:
        text = _text(client.get(url))
    assert text.count("1 条审核意见待处理") == 2
    more = [
        make_application(
            round_=round_, officer=county, cluster_name=f"集群{i}", path=(S.SUBMITTED,)
        )
        for i in range(2, 6)
    ]
    for app in more:
        add_comment(app, city, FIELD, "产值偏高")
        add_comment(app, city, "part3", "创新偏弱")
        send_back(app, city, "请修改")
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        text = _text(client.get(url))
    assert text.count("2 条审核意见待处理") == 4
    assert len(many) == len(few)


def test_the_notices_count_the_comments_sent_and_answered(submitted, city, county):
    comment = add_comment(submitted, city, FIELD, "产值偏高")
    add_comment(submitted, city, "part3", "创新偏弱")
    send_back(submitted, city, "请修改")
    returned = Notification.objects.filter(recipient=county).latest("pk")
    assert "随退回发出审核意见 2 条" in returned.body
    reply(comment, county, "已更正", answered=True)
    transition(submitted, S.SUBMITTED, county)
    resubmitted = Notification.objects.filter(recipient=city).latest("pk")
    assert "审核意见已标记处理 1 条，共 2 条未关闭" in resubmitted.body
