"""A user's ``/webio/`` app under JupyterHub, in Chromium: log in at the hub, use the app.

The hub of ``tests/hub.py`` (its proxy, two users, their single-user servers). Behind the hub
the page's module scripts are fetched in CORS mode, where the hub takes the login cookie only
with an XSRF token: they were refused and the page stayed blank. The server tier checks the
same with a browser's headers (``tests/server/test_jupyterhub.py``); here it is the browser,
on a server that takes the login cookie on WebSockets (alice's, the hub's default) and on one
that may not (bob's: the page brings its token).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.hub import PASSWORD, Hub, require_hub, running_hub

pytestmark = pytest.mark.browser

APP = "/user/alice/webio/hello"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    require_hub()
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


def log_in(page: Page, hub: Hub, user: str, then: str) -> None:
    """Sign in at the hub's login form, which then sends the browser to ``then``."""
    page.goto(f"{hub.url}/hub/login?next={then}")
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_user_signs_in_at_the_hub_and_uses_their_app(hub: Hub, page: Page) -> None:
    log_in(page, hub, "alice", APP)
    expect(page.get_by_text("hello from a hub app")).to_be_visible()
    expect(page).to_have_url(f"{hub.url}{APP}")
    page.get_by_role("button", name="go").click()
    expect(page.get_by_text("clicked go")).to_be_visible()


def test_another_user_gets_no_page_of_hers(hub: Hub, page: Page) -> None:
    # bob's server takes no login cookie on WebSockets that say they are ones (a request with
    # ``Sec-Fetch-Mode: websocket``, which this Chromium does not send): his page opens its
    # socket with the token it carries, and the server tier checks the cookie alone is refused.
    log_in(page, hub, "bob", "/user/bob/webio/hello")
    expect(page.get_by_text("hello from a hub app")).to_be_visible()  # his own app
    page.get_by_role("button", name="go").click()
    expect(page.get_by_text("clicked go")).to_be_visible()
    response = page.goto(f"{hub.url}{APP}")
    assert response is not None and response.status == 403, response
    expect(page.get_by_role("button", name="go")).to_have_count(0)
