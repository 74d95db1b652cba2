"""The "1C exchange" admin: import runs and sessions are read-only, nodes keep their password hash secret."""

from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.test.utils import WagtailTestUtils

from b2b_cabinet.models import ExchangeNode, ExchangeSession, ImportIssue, ImportRun, StatusMapping
from b2b_cabinet.sync_viewsets import (
    ExchangeNodeViewSet,
    ExchangeSessionViewSet,
    ExchangeViewSetGroup,
    ImportRunViewSet,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

VIEWSETS = [vs() for vs in ExchangeViewSetGroup.items]
READ_ONLY = [ImportRunViewSet(), ExchangeSessionViewSet()]



@pytest.fixture
def node():
    node = ExchangeNode(name="1С:УТ Екатеринбург", login="ut-ekb")
    node.set_password("s3cret-exchange")
    node.save()
    node.warehouses.add(f.warehouse("Основной склад"))
    StatusMapping.objects.create(node=node, onec_status="N", onec_name="Принят", status="new")
    return node


@pytest.fixture
def run(node):
    """A finished run of ``node`` with two issues."""
    session = ExchangeSession.objects.create(node=node, kind=ExchangeSession.Kind.CATALOG, version="2.07",
                                             state={"run": "20260127-183000", "imports": {}})
    started = timezone.now() - timedelta(seconds=40)
    run = ImportRun.objects.create(
        source=ImportRun.Source.EXCHANGE, node=node, session=session, files=["import.xml", "offers.xml"],
        kinds="import, offers", is_full=True, status=ImportRun.Status.SUCCESS, started_at=started,
        finished_at=started + timedelta(seconds=20), created=10, updated=5, rejected=2, items=200,
        error="Traceback <script>alert(1)</script>",
    )
    ImportIssue.objects.create(run=run, level=ImportIssue.Level.REJECTED, file="import.xml", line=1234,
                               element="Товар", external_id="bd72d8f9-55bc-11d9-848a-00112f43529a",
                               message="Товар без наименования")
    ImportIssue.objects.create(run=run, level=ImportIssue.Level.WARNING, file="offers.xml", line=77,
                               element="Предложение", external_id="c0ffee-1", message="Неизвестный склад «Север»")
    return run


def _urls(viewset, obj):
    urls = [
        reverse(viewset.get_url_name("index")),
        reverse(viewset.get_url_name("index")) + "?q=a",
        reverse(viewset.get_url_name("index")) + "?export=csv",
        reverse(viewset.get_url_name("inspect"), args=[obj.pk]),
        reverse(viewset.get_url_name("history"), args=[obj.pk]),
    ]
    if viewset.model is ExchangeNode:
        urls += [reverse(viewset.get_url_name("add")), reverse(viewset.get_url_name("edit"), args=[obj.pk])]
    return urls


@pytest.mark.parametrize("viewset", VIEWSETS, ids=lambda vs: vs.model.__name__)
def test_every_exchange_admin_view_renders_for_a_superuser(admin_client, run, viewset):
    # given a node with a session and a run
    obj = viewset.model.objects.first()
    # when each view is opened, then it renders
    for url in _urls(viewset, obj):
        response = admin_client.get(url)
        assert response.status_code == 200, url


def test_the_1c_exchange_menu_is_in_the_admin(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert "1C exchange" in response.content.decode()


def test_creating_a_node_through_the_admin_stores_a_hashed_password(admin_client):
    # given a warehouse to bind the node to
    warehouse = f.warehouse("Склад Москва")
    # when a node is added through the admin form
    response = admin_client.post(reverse(ExchangeNodeViewSet().get_url_name("add")), {
        "name": "1С:ERP", "login": "erp", "is_active": "on", "imports_catalog": "on",
        "warehouses": [warehouse.pk], "new_password": "Tr0ub4dor&3",
    })
    # then it is saved with a hash that checks, and its warehouse
    assert response.status_code == 302
    node = ExchangeNode.objects.get(login="erp")
    assert node.password != "Tr0ub4dor&3"
    assert node.check_password("Tr0ub4dor&3")
    assert list(node.warehouses.all()) == [warehouse]


def test_a_new_node_needs_a_password(admin_client):
    response = admin_client.post(reverse(ExchangeNodeViewSet().get_url_name("add")), {
        "name": "1С:ERP", "login": "erp", "is_active": "on", "new_password": "",
    })
    assert response.status_code == 200
    assert not ExchangeNode.objects.filter(login="erp").exists()


def test_editing_a_node_without_a_password_keeps_the_old_one(admin_client, node):
    url = reverse(ExchangeNodeViewSet().get_url_name("edit"), args=[node.pk])
    response = admin_client.post(url, {"name": "Renamed", "login": node.login, "is_active": "on", "new_password": ""})
    assert response.status_code == 302
    node.refresh_from_db()
    assert node.name == "Renamed"
    assert node.check_password("s3cret-exchange")


def test_editing_a_node_with_a_password_replaces_it(admin_client, node):
    url = reverse(ExchangeNodeViewSet().get_url_name("edit"), args=[node.pk])
    admin_client.post(url, {"name": node.name, "login": node.login, "is_active": "on", "new_password": "n3w-one"})
    node.refresh_from_db()
    assert node.check_password("n3w-one")
    assert not node.check_password("s3cret-exchange")


def test_the_password_hash_is_never_rendered(admin_client, node):
    viewset = ExchangeNodeViewSet()
    pages = [
        reverse(viewset.get_url_name("edit"), args=[node.pk]),
        reverse(viewset.get_url_name("inspect"), args=[node.pk]),
        reverse(viewset.get_url_name("index")),
        reverse(viewset.get_url_name("index")) + "?export=csv",
    ]
    for url in pages:
        response = admin_client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert node.password.encode() not in body, url
        assert node.password.split("$")[-1].encode() not in body, url


def test_an_import_runs_inspect_page_lists_its_issues(admin_client, run):
    # when the run is inspected
    response = admin_client.get(reverse(ImportRunViewSet().get_url_name("inspect"), args=[run.pk]))
    # then each issue shows its file, line, element, 1C Ид and message
    html = response.content.decode()
    for text in ("import.xml", "1234", "Товар", "bd72d8f9-55bc-11d9-848a-00112f43529a", "Товар без наименования",
                 "offers.xml", "77", "c0ffee-1", "Неизвестный склад «Север»"):
        assert text in html or text.replace("«", "&laquo;") in html, text
    # and the stored error is escaped, the duration shown in seconds
    assert "<script>alert(1)</script>" not in html
    assert "20.0" in html


def test_a_run_without_issues_says_so(admin_client, node):
    run = ImportRun.objects.create(source=ImportRun.Source.COMMAND, status=ImportRun.Status.RUNNING)
    response = admin_client.get(reverse(ImportRunViewSet().get_url_name("inspect"), args=[run.pk]))
    assert response.status_code == 200
    assert "This run has no issues." in response.content.decode()


@pytest.mark.parametrize("viewset", READ_ONLY, ids=lambda vs: vs.model.__name__)
def test_read_only_viewsets_have_no_add_edit_copy_or_delete_urls(viewset):
    for name in ("add", "edit", "copy", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(viewset.get_url_name(name), args=[] if name == "add" else [1])


@pytest.mark.parametrize("viewset", READ_ONLY, ids=lambda vs: vs.model.__name__)
def test_read_only_listings_offer_no_add_or_edit_links(admin_client, run, viewset):
    obj = viewset.model.objects.first()
    index = reverse(viewset.get_url_name("index"))
    html = admin_client.get(index).content.decode() + admin_client.get(
        reverse(viewset.get_url_name("inspect"), args=[obj.pk])).content.decode()
    for path in (f"{index}new/", f"{index}edit/{obj.pk}/", f"{index}delete/{obj.pk}/"):
        assert path not in html
        assert admin_client.get(path).status_code == 404


def test_session_pages_do_not_show_the_token_or_sessid(admin_client, run):
    session = run.session
    viewset = ExchangeSessionViewSet()
    for url in (reverse(viewset.get_url_name("index")), reverse(viewset.get_url_name("inspect"), args=[session.pk])):
        html = admin_client.get(url).content.decode()
        assert session.token not in html
        assert session.sessid not in html


def test_import_run_filters_and_export(admin_client, run):
    index = reverse(ImportRunViewSet().get_url_name("index"))
    assert admin_client.get(index + "?status=success&source=exchange&is_full=true").status_code == 200
    response = admin_client.get(index + "?export=csv")
    csv = b"".join(response.streaming_content).decode()
    assert "Duration (s)" in csv.splitlines()[0]
    assert "1C HTTP exchange" in csv


def test_staff_with_view_permission_can_read_import_runs_but_not_nodes(client, run):
    from django.contrib.auth.models import Permission

    staff = f.user(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_importrun"),
    )
    client.force_login(staff)
    assert client.get(reverse(ImportRunViewSet().get_url_name("index"))).status_code == 200
    assert client.get(reverse(ImportRunViewSet().get_url_name("inspect"), args=[run.pk])).status_code == 200
    assert client.get(reverse(ExchangeNodeViewSet().get_url_name("index"))).status_code in (302, 403)


def test_admin_links_to_runs_and_sessions_go_to_their_inspect_pages(run):
    from wagtail.admin.admin_url_finder import AdminURLFinder

    admin = WagtailTestUtils().create_superuser("admin", "admin@example.com", "pw")
    finder = AdminURLFinder(admin)
    assert finder.get_edit_url(run) == reverse(ImportRunViewSet().get_url_name("inspect"), args=[run.pk])
    assert finder.get_edit_url(run.session) == reverse(ExchangeSessionViewSet().get_url_name("inspect"),
                                                       args=[run.session.pk])
    assert AdminURLFinder(f.user(is_staff=True)).get_edit_url(run) is None


def test_deleting_a_node_with_runs_keeps_the_runs(admin_client, run):
    node = run.node
    response = admin_client.post(reverse(ExchangeNodeViewSet().get_url_name("delete"), args=[node.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.node is None
