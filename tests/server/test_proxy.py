"""docs/deployment/nginx.conf as written, in front of a real ``kpigen serve``, where nginx is installed.

The configuration is used unchanged but for its two addresses (a free loopback port for nginx,
the server's port for the upstream); nginx runs in the foreground with a private prefix.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.checkout import ROOT
from tests.server.live import Live, free_port, serving

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (Debian: apt-get install nginx; scripts/setup.sh installs it)"
)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Live]]:
    folder = tmp_path_factory.mktemp("nginx")
    with serving(folder) as live:
        port = free_port()
        site = (ROOT / "docs" / "deployment" / "nginx.conf").read_text(encoding="utf-8")
        assert "listen 80;" in site and "server 127.0.0.1:8000;" in site
        site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
        site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{live.port};")
        (folder / "site.conf").write_text(site, encoding="utf-8")
        (folder / "logs").mkdir()
        (folder / "nginx.conf").write_text(
            f"pid {folder}/nginx.pid;\nerror_log {folder}/logs/error.log;\nevents {{}}\n"
            f"http {{\n access_log off;\n client_body_temp_path {folder}/body;\n proxy_temp_path {folder}/proxy;\n"
            f" include {folder}/site.conf;\n}}\n",
            encoding="utf-8",
        )
        assert NGINX is not None
        command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off; user root;"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(50):  # at most 10 s
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=2):
                        break
                except OSError:
                    if process.poll() is not None:
                        pytest.fail(f"nginx did not start: {process.stderr.read() if process.stderr else ''!r}")
                    time.sleep(0.2)
            yield url, live
        finally:
            process.terminate()
            process.wait(timeout=20)


def fetch(request: urllib.request.Request | str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def test_health_check_and_a_download_through_the_proxy(proxied: tuple[str, Live]) -> None:
    url, live = proxied
    status, _, body = fetch(url + "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    request = urllib.request.Request(
        url + "/api/workbooks",
        data=json.dumps({"company": "Örnek A.Ş.", "year": 2026}).encode(),
        headers={"Content-Type": "application/json"},
    )
    status, headers, body = fetch(request)
    assert status == 200 and body.startswith(b"PK")
    assert headers["x-frame-options"] == "DENY"
    time.sleep(0.3)
    logged = [e for e in live.entries() if e.get("path") == "/api/workbooks"]
    assert logged and logged[-1]["client"] == "127.0.0.1"


def refusal(status: int, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    assert headers["content-type"].startswith("application/json"), body[:200]
    problem: dict[str, Any] = json.loads(body)
    assert set(problem) == {"error", "field", "message"}
    return problem


def test_the_limits_of_proxy_and_server_agree(proxied: tuple[str, Live]) -> None:
    """A file just over 10 MB in a body within the form's room: the server refuses it; a larger body:
    nginx does, in the same format."""
    url, _ = proxied
    for size, words in (
        (10 * 1024 * 1024 + 10 * 1024, "; this server accepts files up to 10 MB."),
        (10 * 1024 * 1024 + 200 * 1024, "up to 10 MB"),
    ):
        boundary = "kpigenboundary"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n\r\n'.encode()
            + b"PK\x03\x04"
            + b"\0" * size
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            url + "/api/validate", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        status, headers, answer = fetch(request)
        assert status == 413, answer[:200]
        problem = refusal(status, headers, answer)
        assert problem["error"] == "upload-too-large" and words in problem["message"]
