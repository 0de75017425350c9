import datetime as dt
import hashlib
import tempfile

import pytest
from django.test import override_settings

from clusterdesk.declarations.domain.editing import EditRefused, edit_refusal, replace_form
from clusterdesk.declarations.domain.snapshots import data_sha256
from clusterdesk.declarations.enums import ApplicationState
from clusterdesk.declarations.models import ApplicationEvent, Submission
from clusterdesk.declarations.workflow import TransitionRefused, transition
from clusterdesk.evidence.domain.uploads import upload_evidence
from clusterdesk.form.example import example_application
from clusterdesk.shared.appendonly import AppendOnlyError
from tests.declarations.county_world import ROLES, assert_login_redirect, client_for, make_world
from tests.evidence import samples
from tests.factories import SHANGHAI, make_application, make_county_officer, make_round

pytestmark = pytest.mark.django_db
S = ApplicationState


def _with_evidence(application, officer):
    """The example's answers, and a real file uploaded for 产业链图谱; returns its SHA-256."""
    form = example_application()
    form.part1.cluster_name = application.cluster_name
    replace_form(application, form, officer)
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="submit-evidence-")):
        upload_evidence(
            application, "part2.chain_map", [samples.upload("图谱.pdf", samples.PDF)], officer
        )
    return hashlib.sha256(samples.PDF).hexdigest()


def test_a_valid_application_is_submitted_with_one_snapshot_and_one_event(client):
    world = make_world()
    app = world.application
    sha256 = _with_evidence(app, world.own)
    client_for(client, world, "own")
    page = client.get(f"/county/applications/{app.pk}/submit/").content.decode()
    assert "确认提交" in page

    response = client.post(f"/county/applications/{app.pk}/submit/", follow=True)
    assert response.redirect_chain[-1][0] == "/county/"
    assert "已提交" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    submission = Submission.objects.get(application=app)
    event = ApplicationEvent.objects.get(application=app, to_state=S.SUBMITTED)
    assert submission.event == event
    assert submission.submitted_by == world.own
    assert submission.submitted_at == event.at
    assert submission.data == app.data
    assert submission.data_sha256 == data_sha256(app.data)
    assert submission.application_version == app.version
    beijing = submission.submitted_at.astimezone(SHANGHAI)
    assert f"已提交（{beijing:%Y-%m-%d %H:%M}）" in response.content.decode()  # Beijing time
    assert {"path": "part2.chain_map", "sha256": sha256} in [
        {"path": item["path"], "sha256": item["sha256"]} for item in submission.evidence
    ]

    again = client.post(f"/county/applications/{app.pk}/submit/")
    assert again.status_code == 400
    assert "已经提交过，不能重复提交" in again.content.decode()
    assert Submission.objects.filter(application=app).count() == 1
    assert app.events.filter(to_state=S.SUBMITTED).count() == 1


def test_submitted_application_is_read_only_for_the_county_and_submitted_for_the_city(client):
    world = make_world()
    app = world.application
    client_for(client, world, "own").post(f"/county/applications/{app.pk}/submit/")
    app.refresh_from_db()
    assert edit_refusal(app, world.own) == "申报当前为“已提交”，不能修改；被退回后方可修改。"
    with pytest.raises(EditRefused):
        replace_form(app, example_application(), world.own)
    page = client.get("/county/").content.decode()
    assert f"/county/applications/{app.pk}/import/" not in page
    assert f"/county/applications/{app.pk}/submit/" not in page
    client.logout()
    client_for(client, world, "city")
    city_page = client.get(f"/intake/applications/{app.pk}/").content.decode()
    assert "已提交" in city_page


def test_errors_refuse_the_submission_and_are_listed(client):
    officer = make_county_officer()
    app = make_application(officer=officer, data={"part1": {"cluster_name": "半成品集群"}})
    client.force_login(officer)
    page = client.get(f"/county/applications/{app.pk}/submit/").content.decode()
    assert "须先修正的错误" in page
    assert "确认提交" not in page
    assert f'href="/applications/{app.pk}/form/part1/#field-part1.operator"' in page

    response = client.post(f"/county/applications/{app.pk}/submit/")
    page = response.content.decode()
    assert response.status_code == 400
    assert "未能提交：申报表还有" in page
    assert "处错误" in page
    app.refresh_from_db()
    assert app.state == S.DRAFT
    assert not Submission.objects.exists()


def test_the_door_itself_refuses_a_form_with_errors():
    officer = make_county_officer()
    app = make_application(officer=officer, data={})
    with pytest.raises(TransitionRefused, match=r"申报表还有 \d+ 处错误"):
        transition(app, S.SUBMITTED, officer)


def test_after_the_deadline_submission_is_refused(client, clock_at):
    world = make_world()
    clock_at(dt.datetime(2023, 4, 15, 0, 0, tzinfo=SHANGHAI))
    response = client_for(client, world, "own").post(
        f"/county/applications/{world.application.pk}/submit/"
    )
    assert response.status_code == 400
    assert "申报截止时间2023年4月14日 23:59已过，不能再提交。" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_minute_before_the_deadline_is_still_in_time(clock_at):
    world = make_world()
    clock_at(dt.datetime(2023, 4, 14, 23, 58, tzinfo=SHANGHAI))
    transition(world.application, S.SUBMITTED, world.own)
    assert world.application.state == S.SUBMITTED


def test_the_county_limit_refuses_one_more(client):
    officer = make_county_officer()
    round_ = make_round(county_limit=1)
    make_application(round_=round_, officer=officer, path=(S.SUBMITTED,))
    second = make_application(round_=round_, officer=officer, cluster_name="第二集群")
    client.force_login(officer)
    response = client.post(f"/county/applications/{second.pk}/submit/")
    assert response.status_code == 400
    assert "达到每个申报单位 1 个的上限" in response.content.decode()
    second.refresh_from_db()
    assert second.state == S.DRAFT


def test_the_snapshot_cannot_be_changed_or_deleted():
    app = make_application(path=(S.SUBMITTED,))
    submission = app.submissions.get()
    submission.data = {"part1": {"cluster_name": "篡改"}}
    with pytest.raises(AppendOnlyError):
        submission.save()
    with pytest.raises(AppendOnlyError):
        submission.delete()
    submission.refresh_from_db()
    assert submission.data["part1"]["cluster_name"] == "测试产业集群"


def test_a_resubmission_takes_a_new_snapshot(city_officer):
    officer = make_county_officer()
    app = make_application(
        officer=officer, path=(S.SUBMITTED, S.RETURNED), city_officer=city_officer
    )
    form = example_application()
    form.part1.cluster_name = "修改后的集群"
    replace_form(app, form, officer)
    transition(app, S.SUBMITTED, officer)
    names = [s.data["part1"]["cluster_name"] for s in app.submissions.order_by("pk")]
    assert names == ["测试产业集群", "修改后的集群"]


def test_a_failing_snapshot_undoes_the_move(monkeypatch):
    officer = make_county_officer()
    app = make_application(officer=officer)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Submission.objects, "create", broken)
    with pytest.raises(RuntimeError):
        transition(app, S.SUBMITTED, officer)
    app.refresh_from_db()
    assert app.state == S.DRAFT
    assert not app.events.filter(to_state=S.SUBMITTED).exists()


# --- access ---------------------------------------------------------------------------------

EXPECTED = {"own": 200, "other_county": 404, "city": 403, "expert": 403, "admin": 403}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_submit_access(client, role, method):
    world = make_world()
    url = f"/county/applications/{world.application.pk}/submit/"
    response = getattr(client_for(client, world, role), method)(url)
    world.application.refresh_from_db()
    if role == "anonymous":
        assert_login_redirect(response)
    elif role == "own" and method == "post":
        assert response.status_code == 302
        assert world.application.state == S.SUBMITTED
    else:
        assert response.status_code == EXPECTED[role]
    if role != "own" or method == "get":
        assert world.application.state == S.DRAFT
        assert not Submission.objects.exists()
