"""The browser suite's own watch (issue 16): it notices a page cut short, a page that never finishes and a console
error, so that no journey can pass on a page a person would see broken. A bare HTTP server sends the broken
responses (Django always sends whole ones now)."""

import socket
import threading
import time

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


def _noticed(page, browser, seen: str, timeout: float = 10) -> list[str]:
    """The watch's problems once one containing ``seen`` is among them (the browser reports a finished request
    a moment after the page loads, later on a busy machine), or all it saw within ``timeout`` seconds."""
    problems: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        problems += WATCH.check(browser)
        if any(seen in problem for problem in problems):
            break
        page.wait_for_timeout(100)  # Playwright delivers the browser's events while it waits
    return problems


def test_the_watch_notices_broken_pages_and_passes_a_whole_one(browser, broken_server):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{broken_server}/whole")
        assert WATCH.check(browser) == []
        page.goto(f"{broken_server}/short")
        problems = _noticed(page, browser, "stops before </html> (40 bytes)")
        assert any("stops before </html> (40 bytes)" in problem for problem in problems), problems
        page.goto(f"{broken_server}/console")
        problems = _noticed(page, browser, "boom")
        assert any("console error" in problem and "boom" in problem for problem in problems), problems
        page.goto(f"{broken_server}/long", wait_until="commit")
        assert any("did not reach load" in problem for problem in WATCH.check(browser))
        page.goto(f"{broken_server}/whole")  # leaving the page that never finished is noticed too
        problems = _noticed(page, browser, "left before it finished loading")
        assert any("left before it finished loading" in problem for problem in problems), problems
    finally:
        context.close()
