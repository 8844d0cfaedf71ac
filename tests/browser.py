"""Headless Chromium for the tests: axe-core accessibility checks, screenshots, horizontal overflow.

Debian's /usr/bin/chromium is driven over the Chrome DevTools Protocol (CDP) with nothing but the
standard library and websocket-client: no chromedriver, no Selenium/Playwright/Puppeteer, no browser
download. Each page is served by a throwaway http.server on 127.0.0.1 (a free port, stopped after),
so relative links to CSS and images resolve as they would on a web server. axe-core comes from
tools/node_modules (tools/install-browser.sh installs both it and Chromium).

One call, one browser (about a second to start)::

    result = axe_check(html)                  # axe's result object: result["violations"], ...
    screenshot(html, tmp_path / "a.png", 320, 900)
    assert scroll_width(html, 320) <= 320     # no horizontal scrolling at 320 CSS px (WCAG 1.4.10)

Many pages, one browser (e.g. in a session-scoped fixture)::

    with Chromium() as browser:
        for page in pages:
            browser.axe_check(page)

The Chromium process and all its children run in a process group of their own, which is killed
on close, on any exception and (for a browser left open) when the interpreter exits.
"""
from __future__ import annotations

import atexit
import base64
import contextlib
import functools
import http.server
import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Callable

import websocket  # the websocket-client package

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
# WCAG 2.2 AA as axe tags its rules: 2.0 and 2.1 A/AA, plus the rules new in 2.2 AA.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
TIMEOUT = 60.0  # seconds, for starting the browser and for each page operation

_INSTALL_HINT = "run: bash tools/install-browser.sh"


class BrowserError(RuntimeError):
    """Chromium could not be started, or a page could not be loaded or evaluated."""


def chromium_path() -> str:
    """Debian's Chromium launcher ($REPORTGEN_CHROMIUM overrides it), or a clear error."""
    path = os.environ.get("REPORTGEN_CHROMIUM") or CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise BrowserError(f"Chromium not found at {path} ({_INSTALL_HINT})")
    return path


@functools.cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        raise BrowserError(f"axe-core not found at {AXE_JS} ({_INSTALL_HINT})")
    return AXE_JS.read_text(encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def _serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port, in a thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="browser-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# Browsers started and not yet closed (strong references: a forgotten one is still killed at exit).
_open_browsers: set[Chromium] = set()


@atexit.register
def _close_all() -> None:
    for browser in list(_open_browsers):
        browser.close()


class Chromium:
    """One headless Chromium, driven over CDP; use as a context manager."""

    def __init__(self, *, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._ws: websocket.WebSocket | None = None
        self._tmp: str | None = None
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> Chromium:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def start(self) -> None:
        if self._proc is not None:
            raise BrowserError("this Chromium is already started")
        try:
            self._launch()
        except BaseException:
            self.close()
            raise

    def _launch(self) -> None:
        exe = chromium_path()
        self._tmp = tempfile.mkdtemp(prefix="reportgen-chromium-")
        profile = Path(self._tmp, "profile")
        log_path = Path(self._tmp, "chromium.log")
        args = [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-default-apps", "--mute-audio",
                # Layout width = viewport width (a scrollbar would take 15 px of 320), no scrollbar
                # in screenshots, the same colours on every machine.
                "--hide-scrollbars", "--force-color-profile=srgb",
                # /dev/shm is small in many containers; Chromium then crashes renderers.
                "--disable-dev-shm-usage",
                "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"]
        _open_browsers.add(self)
        with open(log_path, "wb") as log:
            # A new session makes Chromium the leader of its own process group: close() kills the
            # group, and with it every renderer, GPU and utility process Chromium started.
            self._proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while True:
            if self._proc.poll() is not None:
                raise BrowserError(f"Chromium exited with code {self._proc.returncode} on start:\n"
                                   + self._log_tail())
            with contextlib.suppress(OSError):
                lines = port_file.read_text(encoding="utf-8").split()
                if len(lines) >= 2 and lines[0].isdigit():
                    break
            if time.monotonic() > deadline:
                raise BrowserError(f"Chromium did not open its DevTools port within {self.timeout:g} s:\n"
                                   + self._log_tail())
            time.sleep(0.05)
        # suppress_origin: Chromium refuses DevTools websockets that send an Origin header.
        self._ws = websocket.create_connection(f"ws://127.0.0.1:{lines[0]}{lines[1]}",
                                               timeout=self.timeout, suppress_origin=True,
                                               enable_multithread=False)

    def _log_tail(self, limit: int = 4000) -> str:
        if self._tmp is None:
            return ""
        try:
            return Path(self._tmp, "chromium.log").read_text(encoding="utf-8", errors="replace")[-limit:]
        except OSError:
            return ""

    def close(self) -> None:
        """Kill Chromium's whole process group and remove its profile; safe to call twice."""
        _open_browsers.discard(self)
        if self._ws is not None:
            with contextlib.suppress(Exception):
                self._ws.close(timeout=1)
            self._ws = None
        if self._proc is not None:
            # SIGKILL while the leader is not yet reaped, so its pid (= the group id) cannot have
            # been reused; nothing here needs a graceful shutdown.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=10)
            self._proc = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        self._events.clear()

    # -- CDP plumbing ----------------------------------------------------------------------

    def _recv(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        if self._ws is None:
            raise BrowserError("Chromium is not running (use it as a context manager)")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BrowserError(f"timed out waiting for {waiting_for}")
        self._ws.settimeout(remaining)
        try:
            message = self._ws.recv()
        except websocket.WebSocketTimeoutException:
            raise BrowserError(f"timed out waiting for {waiting_for}") from None
        except (websocket.WebSocketException, OSError) as error:
            raise BrowserError(f"lost the DevTools connection waiting for {waiting_for}: {error}\n"
                               + self._log_tail()) from error
        reply: dict[str, Any] = json.loads(message)
        return reply

    def call(self, method: str, params: dict[str, Any] | None = None, *,
             session: str | None = None, timeout: float | None = None) -> dict[str, Any]:
        """Send one CDP command and return its result; events that arrive meanwhile are kept."""
        if self._ws is None:
            raise BrowserError("Chromium is not running (use it as a context manager)")
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        self._ws.settimeout(self.timeout)
        self._ws.send(json.dumps(message))
        while True:
            reply = self._recv(deadline, method)
            if reply.get("id") == message["id"]:
                if "error" in reply:
                    raise BrowserError(f"{method} failed: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:  # an event; a late reply to a timed-out command is dropped
                self._events.append(reply)

    def _wait_event(self, session: str, deadline: float, what: str, match: Any) -> dict[str, Any]:
        while True:
            for i, event in enumerate(self._events):
                if event.get("sessionId") == session and match(event):
                    return self._events.pop(i)
            event = self._recv(deadline, what)
            if "method" in event:
                self._events.append(event)

    def evaluate(self, session: str, expression: str, *, await_promise: bool = False,
                 timeout: float | None = None) -> Any:
        """Evaluate JavaScript in the page; return its value (JSON-serialisable) or raise."""
        result = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": await_promise,
                                                "returnByValue": True},
                           session=session, timeout=timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript error: {text}")
        return result.get("result", {}).get("value")

    def script(self, session: str) -> Callable[[str], Any]:
        """`evaluate` bound to one page's session: js("document.title")."""
        return lambda expression: self.evaluate(session, expression)

    @contextlib.contextmanager
    def page(self, html_path: Path | str, *, width: int = 1280, height: int = 900) -> Iterator[str]:
        """Load a local HTML file at a width x height CSS px viewport; yield the CDP session id.

        Waits for the load event and for web fonts. The tab and the HTTP server go away after.
        """
        html_path = Path(html_path).resolve()
        if not html_path.is_file():
            raise FileNotFoundError(html_path)
        deadline = time.monotonic() + self.timeout
        with _serve(html_path.parent) as base:
            target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = ""
            try:
                session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
                # Desktop mode (mobile: False): the layout viewport is exactly `width` CSS px,
                # whatever the page's <meta name=viewport> says.
                self.call("Emulation.setDeviceMetricsOverride",
                          {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                          session=session)
                self.call("Page.enable", session=session)
                self.call("Page.setLifecycleEventsEnabled", {"enabled": True}, session=session)
                url = base + urllib.parse.quote(html_path.name)
                nav = self.call("Page.navigate", {"url": url}, session=session)
                if nav.get("errorText"):
                    raise BrowserError(f"could not load {url}: {nav['errorText']}")
                loader = nav.get("loaderId")
                self._wait_event(session, deadline, f"the load event of {html_path.name}",
                                 lambda e: e["method"] == "Page.lifecycleEvent"
                                 and e["params"].get("name") == "load"
                                 and e["params"].get("loaderId") == loader)
                self.evaluate(session, "document.fonts.ready.then(() => true)", await_promise=True,
                              timeout=max(1.0, deadline - time.monotonic()))
                yield session
            finally:
                self._events = [e for e in self._events if e.get("sessionId") != session]
                if self._ws is not None:
                    with contextlib.suppress(BrowserError, websocket.WebSocketException, OSError):
                        self.call("Target.closeTarget", {"targetId": target}, timeout=10)

    # -- what the tests use ----------------------------------------------------------------

    def axe_check(self, html_path: Path | str, *, width: int = 1280, height: int = 900,
                  tags: Sequence[str] = WCAG_TAGS) -> dict[str, Any]:
        """Run axe-core over the page for the given WCAG tags; return axe's result object.

        result["violations"] is a list of {"id", "impact", "help", "helpUrl", "nodes": [...]}.
        """
        axe = _axe_source()
        options = {"runOnly": {"type": "tag", "values": list(tags)}}
        with self.page(html_path, width=width, height=height) as session:
            self.evaluate(session, axe)
            text = self.evaluate(session, f"axe.run(document, {json.dumps(options)})"
                                          ".then(r => JSON.stringify(r))", await_promise=True)
        result: dict[str, Any] = json.loads(text)
        return result

    def screenshot(self, html_path: Path | str, png_path: Path | str, width: int = 1280,
                   height: int = 900) -> Path:
        """Save a full-page PNG (the whole document, including any horizontal overflow)."""
        with self.page(html_path, width=width, height=height) as session:
            size = self.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
            clip = {"x": 0, "y": 0, "scale": 1,
                    "width": max(width, math.ceil(size["width"])),
                    "height": max(1, math.ceil(size["height"]))}
            data = self.call("Page.captureScreenshot",
                             {"format": "png", "clip": clip, "captureBeyondViewport": True},
                             session=session)["data"]
        png_path = Path(png_path)
        png_path.write_bytes(base64.b64decode(data))
        return png_path

    def scroll_width(self, html_path: Path | str, width: int, height: int = 900) -> int:
        """document.documentElement.scrollWidth at that viewport width: > width means it overflows."""
        with self.page(html_path, width=width, height=height) as session:
            return int(self.evaluate(session, "document.documentElement.scrollWidth"))


def axe_check(html_path: Path, *, width: int = 1280, height: int = 900,
              tags: Sequence[str] = WCAG_TAGS, timeout: float = TIMEOUT) -> dict[str, Any]:
    """axe-core's result for one page, in a browser of its own (see Chromium.axe_check)."""
    with Chromium(timeout=timeout) as browser:
        return browser.axe_check(html_path, width=width, height=height, tags=tags)


def screenshot(html_path: Path, png_path: Path, width: int = 1280, height: int = 900, *,
               timeout: float = TIMEOUT) -> Path:
    """A full-page PNG of one page, in a browser of its own (see Chromium.screenshot)."""
    with Chromium(timeout=timeout) as browser:
        return browser.screenshot(html_path, png_path, width, height)


def scroll_width(html_path: Path, width: int, *, height: int = 900, timeout: float = TIMEOUT) -> int:
    """The page's scrollWidth at that viewport width, in a browser of its own."""
    with Chromium(timeout=timeout) as browser:
        return browser.scroll_width(html_path, width, height)
