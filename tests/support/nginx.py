"""Debian's nginx running the shipped files of deploy/ as they are, with only
their lines marked "yours" (folders, certificates) and the ports replaced:
what the README's production guide tells an operator to do."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from tests.support.servers import wait_for

ROOT = Path(__file__).resolve().parents[2]
SITE_CONF = ROOT / "deploy" / "site-nginx.conf"
RECEIVER_CONF = ROOT / "deploy" / "receiver" / "nginx.conf"
PROXY_CONF = ROOT / "deploy" / "receiver" / "truffles-comments-proxy.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
#: Debian's libnginx-mod-http-brotli-static, loaded by /etc/nginx/modules-enabled.
BROTLI_STATIC = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def require_nginx() -> None:
    if not Path(NGINX).exists() or not BROTLI_STATIC.exists():
        pytest.skip("these tests need Debian's nginx and libnginx-mod-http-brotli-static (bash .ci/run installs them)")


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced; fails if the shipped file no longer has it."""
    assert old in text, f"the shipped nginx file no longer contains {old!r}"
    return text.replace(old, new)


def _ports(text: str, https_port: int, http_port: int) -> str:
    text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)  # no IPv6 in CI containers
    text = replace_once(text, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    return replace_once(text, "listen 80;", f"listen 127.0.0.1:{http_port};")


def _certificate(text: str, cert: Path, key: Path) -> str:
    text, count = re.subn(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", text)
    text, key_count = re.subn(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", text)
    assert count == key_count == 1, "one certificate and one key expected"
    return text


def site_config(*, output: Path, cert: Path, key: Path, https_port: int, http_port: int) -> str:
    text = replace_once(SITE_CONF.read_text(), "/srv/rls-guide/output", str(output))
    return _certificate(_ports(text, https_port, http_port), cert, key)


def receiver_config(*, cert: Path, key: Path, https_port: int, http_port: int) -> str:
    return _certificate(_ports(RECEIVER_CONF.read_text(), https_port, http_port), cert, key)


def proxy_config(receiver_port: int) -> str:
    return replace_once(PROXY_CONF.read_text(), "http://127.0.0.1:8001", f"http://127.0.0.1:{receiver_port}")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, valid two days (browsers are told to accept it)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


class Nginx:
    """nginx with a main file like Debian's (its mime types, the brotli module,
    the server blocks included inside ``http``), all state in ``folder``."""

    def __init__(self, folder: Path, servers: dict[str, str], extra_files: dict[str, str] | None = None):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in {**servers, **(extra_files or {})}.items():
            (folder / name).write_text(text)
        includes = "\n".join(f"  include {folder / name};" for name in servers)
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's private folders
        temp_paths = "\n".join(f"  {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.main = folder / "nginx.conf"
        self.main.write_text(
            f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n"
            f"load_module {BROTLI_STATIC};\nevents {{ worker_connections 256; }}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            f"  access_log off;\n{temp_paths}\n{includes}\n}}\n"
        )
        self.process: subprocess.Popen | None = None

    def command(self, *args: str) -> list[str]:
        return [NGINX, "-p", str(self.folder), "-c", str(self.main), *args]

    def test(self) -> subprocess.CompletedProcess:
        """``nginx -t`` on these files."""
        return subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=30)

    def start(self, ports: list[int]) -> Nginx:
        self.process = subprocess.Popen(self.command("-g", "daemon off;"), stderr=subprocess.PIPE, text=True)

        def listening() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"nginx stopped: {self.process.stderr.read()}")
            for port in ports:
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) != 0:
                        return False
            return True

        wait_for(listening, timeout=15, message="nginx listening")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, then exit
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
