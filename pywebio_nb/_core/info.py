"""What the session knows about its visitor: ``pywebio_nb.session.info`` and ``local``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Family", "SessionInfo", "UserAgent", "parse_user_agent"]


@dataclass(frozen=True)
class Family:
    """A browser, OS or device family with its version (and a device's brand and model)."""

    family: str = "Other"
    version: tuple[int, ...] = ()
    version_string: str = ""
    brand: str | None = None
    model: str | None = None


@dataclass(frozen=True)
class UserAgent:
    """The visitor's browser, parsed from the ``User-Agent`` header (a small heuristic parser).

    The fields and methods of the ``user_agents`` package's object, which PyWebIO's
    ``session.info.user_agent`` is.

    Example:
        >>> ua = parse_user_agent("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36")
        >>> ua.browser.family, ua.os.family, ua.is_pc
        ('Chrome', 'Linux', True)
        >>> str(ua)
        'PC / Linux / Chrome 120.0'
    """

    ua_string: str = ""
    browser: Family = field(default_factory=Family)
    os: Family = field(default_factory=Family)
    device: Family = field(default_factory=Family)
    is_mobile: bool = False
    is_tablet: bool = False
    is_pc: bool = False
    is_touch_capable: bool = False
    is_bot: bool = False
    is_email_client: bool = False

    def get_device(self) -> str:
        """``"PC"``, ``"Spider"`` (a bot) or the device family."""
        return "PC" if self.is_pc else "Spider" if self.is_bot else self.device.family

    def get_os(self) -> str:
        """The OS family and version, e.g. ``"Windows 10"``."""
        return f"{self.os.family} {self.os.version_string}".strip()

    def get_browser(self) -> str:
        """The browser family and version, e.g. ``"Firefox 121.0"``."""
        return f"{self.browser.family} {self.browser.version_string}".strip()

    def __str__(self) -> str:
        return f"{self.get_device()} / {self.get_os()} / {self.get_browser()}"


_BROWSERS = (
    ("Edge", r"Edg(?:e|A|iOS)?/([\d.]+)"),
    ("Opera", r"OPR/([\d.]+)"),
    ("Firefox", r"Firefox/([\d.]+)"),
    ("Chrome", r"(?:Chrome|CriOS|HeadlessChrome)/([\d.]+)"),
    ("Safari", r"Version/([\d.]+).*Safari/"),
)
_SYSTEMS = (
    ("Windows", r"Windows NT ([\d.]+)"),
    ("Android", r"Android ([\d.]+)"),
    ("iOS", r"(?:iPhone|iPad|iPod).*? OS ([\d_]+)"),
    ("Mac OS X", r"Mac OS X ([\d_.]+)"),
    ("Linux", r"Linux()"),
)


def _family(text: str, table: tuple[tuple[str, str], ...]) -> Family:
    for name, pattern in table:
        match = re.search(pattern, text)
        if match:
            version_string = match.group(1).replace("_", ".")
            parts = tuple(int(p) for p in version_string.split(".") if p.isdigit())
            return Family(name, parts, version_string)
    return Family()


def _device(ua_string: str) -> Family:
    for model in ("iPad", "iPhone", "iPod"):
        if model in ua_string:
            return Family(model, brand="Apple", model=model)
    return Family()


def parse_user_agent(ua_string: str) -> UserAgent:
    """Parse a ``User-Agent`` header into a :class:`UserAgent`.

    Args:
        ua_string: the header's value.

    Example:
        >>> parse_user_agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)").is_mobile
        True
    """
    tablet = bool(re.search(r"iPad|Tablet|(Android(?!.*Mobile))", ua_string))
    mobile = not tablet and bool(re.search(r"Mobile|iPhone|iPod|Android", ua_string))
    bot = bool(re.search(r"bot|crawl|spider", ua_string, re.IGNORECASE))
    return UserAgent(
        ua_string=ua_string,
        browser=_family(ua_string, _BROWSERS),
        os=_family(ua_string, _SYSTEMS),
        device=_device(ua_string),
        is_mobile=mobile,
        is_tablet=tablet,
        is_pc=not (mobile or tablet or bot),
        is_touch_capable=mobile or tablet,
        is_bot=bot,
    )


@dataclass(frozen=True)
class SessionInfo:
    """Read-only facts about the visitor's connection (``pywebio_nb.session.info``).

    Attributes:
        user_agent: the parsed browser.
        user_language: the first language of ``Accept-Language`` (``""`` if absent).
        server_host: the ``Host`` the page was loaded from.
        origin: the page's origin (``scheme://host``).
        user_ip: the client address.
        backend: ``"tornado"`` or ``"jupyter"`` (the Jupyter server extension).
        protocol: ``"websocket"``.
        request: the tornado request that opened the WebSocket.
        user: the Jupyter user's name (``None`` outside Jupyter or for anonymous visitors).

    Example:
        >>> SessionInfo(user_language="en").user_language
        'en'
    """

    user_agent: UserAgent = field(default_factory=UserAgent)
    user_language: str = ""
    server_host: str = ""
    origin: str = ""
    user_ip: str = ""
    backend: str = "tornado"
    protocol: str = "websocket"
    request: Any = None
    user: str | None = None

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dataclass_fields__)

    def __len__(self) -> int:
        return len(self.__dataclass_fields__)

    def __contains__(self, key: object) -> bool:
        return key in self.__dataclass_fields__
