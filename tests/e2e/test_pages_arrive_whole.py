"""The browser suite's own watch (issue 16): it notices a page cut short, a page that never finishes and a console
error, so that no journey can pass on a page a person would see broken. A bare HTTP server sends the broken
responses (Django always sends whole ones now)."""

import socket
import threading

import pytest

from tests.e2e.conftest import WATCH

PAGE = b"<!doctype html><html><head><title>t</title></head><body><p>whole</p></body></html>"
BROKEN = {
    # The header promises less than the body: the browser drops the tail (the Bootstrap script, the footer).
    "/short": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 40\r\nConnection: close\r\n\r\n" + PAGE,
    # The header promises more: the browser waits for bytes that never come.
    "/long": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4000\r\n\r\n" + PAGE,
    "/console": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
    + PAGE.replace(b"<p>whole</p>", b"<script>console.error('boom')</script>"),
    "/whole": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
    % len(PAGE)
    + PAGE,
}


@pytest.fixture
def broken_server():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []

    def serve():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            path = connection.recv(4096).split(b" ", 2)[1].decode()
            connection.sendall(BROKEN.get(path, BROKEN["/whole"]))
            if path == "/long":
                held.append(connection)  # kept open: the rest of the body never comes
            else:
                connection.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    for connection in held:
        connection.close()


def test_the_watch_notices_broken_pages_and_passes_a_whole_one(browser, broken_server):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{broken_server}/whole")
        assert WATCH.check(browser) == []
        page.goto(f"{broken_server}/short")
        problems = WATCH.check(browser)
        assert any("stops before </html> (40 bytes)" in problem for problem in problems), problems
        page.goto(f"{broken_server}/console")
        assert any("console error" in problem and "boom" in problem for problem in WATCH.check(browser))
        page.goto(f"{broken_server}/long", wait_until="commit")
        assert any("did not reach load" in problem for problem in WATCH.check(browser))
        page.goto(f"{broken_server}/whole")  # leaving the page that never finished is noticed too
        problems = WATCH.check(browser)
        assert any("left before it finished loading" in problem for problem in problems), problems
    finally:
        context.close()


def test_the_user_menu_opens_on_every_form_and_case_page(page, haikou, hk_caseworker, hn_caseworker):
    """The pages issue 16 found cut short (their Bootstrap script lost, so the user menu and logout did not open):
    every form and case page of a caseworker's day, and the catalog's forms, arrive whole and the menu opens."""
    from django.urls import reverse
    from playwright.sync_api import expect

    from creditportal.tests.factories import DepartmentFactory
    from tests.case_data import make_cases
    from tests.e2e.conftest import log_in

    sanya = DepartmentFactory(code="SY-SAMR", name="三亚市市场监督管理局")
    cases = make_cases(dept_a=haikou, dept_b=sanya, actor=hk_caseworker)
    record, designation = cases["record"], cases["designation"]
    subject = record.subject
    pages = [
        reverse("subject_create"),
        reverse("subject_update", args=[subject.pk]),
        reverse("subject_detail", args=[subject.pk]),
        reverse("record_create", args=[subject.pk]),
        reverse("record_detail", args=[record.pk]),
        reverse("related_person_add", args=[subject.pk]),
        f"{reverse('objection_receive')}?subject={subject.pk}&record={record.pk}",
        reverse("objection_detail", args=[cases["objection"].pk]),
        f"{reverse('restoration_start')}?record={record.pk}",
        reverse("restoration_detail", args=[cases["restoration"].pk]),
        reverse("revocation_create", args=[record.pk]),
        reverse("record_provider_correct", args=[record.pk]),
        reverse("designation_create", args=[subject.pk]),
        reverse("designation_create_court", args=[subject.pk]),
        reverse("designation_update", args=[designation.pk]),
        reverse("designation_detail", args=[designation.pk]),
        reverse("deadline_list"),
    ]
    log_in(page, "hk-caseworker")
    for url in pages:
        page.goto(url)
        page.get_by_role("button", name="林小燕").click()
        expect(page.get_by_role("button", name="退出登录"), url).to_be_visible()
    page.get_by_role("button", name="退出登录").click()
    # the page logging out leads to loads in full before the next login opens another (the watch would see it left
    # half-loaded otherwise: a race of the journey, not of the page)
    expect(page.get_by_label("用户名")).to_be_visible()
    page.wait_for_load_state("load")
    log_in(page, "hn-caseworker")
    for url in [reverse("catalog_manage"), reverse("catalog_version_create"), reverse("standard_create")]:
        page.goto(url)
        page.get_by_role("button", name="王建国").click()
        expect(page.get_by_role("button", name="退出登录"), url).to_be_visible()
