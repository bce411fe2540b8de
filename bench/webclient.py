"""A tiny HTTP client for the benchmark: speaks to gunicorn as nginx would (Host, X-Forwarded-Proto:
https), keeps its own cookies (the production cookies are Secure, which urllib's jar would not send
over http://), and logs in through the real pages, the second factor included."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import time
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode

from bench.benchenv import PYTHON, ROOT

HOST = "127.0.0.1"
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    def __init__(self, port: int, address: str = "10.0.0.1"):
        self.port, self.jar = port, {}
        self.headers = {"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https", "X-Forwarded-For": address}

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, bytes, dict]:
        headers = {**self.headers, "Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            origin = f"https://{HOST}:{self.port}"
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                            "Referer": origin + path, "X-CSRFToken": self.jar.get("csrftoken", "")})  # fmt: skip
        connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            connection.request(method, quote(path, safe="/?=&%:"), body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        for line in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.jar[name] = morsel.value
        return answer.status, content, dict(answer.headers)

    def get(self, path: str) -> tuple[int, bytes, dict]:
        return self.request("GET", path)

    def form_token(self, path: str) -> str:
        status, content, _headers = self.get(path)
        found = TOKEN_FIELD.search(content.decode(errors="replace"))
        if status != 200 or not found:
            raise RuntimeError(f"no form at {path} (HTTP {status})")
        return found.group(1)

    def post(self, path: str, fields: dict) -> tuple[int, bytes, dict]:
        return self.request("POST", path, fields)

    def login(self, username: str, password: str, code=None) -> None:
        """The login page, then (when ``code`` is given: a callable returning the current code) the
        second-factor page, as a person would."""
        token = self.form_token("/login/")
        status, _body, headers = self.post(
            "/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        if status != 302:
            raise RuntimeError(f"login of {username} refused (HTTP {status})")
        if code is not None:
            token = self.form_token("/account/2fa/verify/")
            status, _body, headers = self.post("/account/2fa/verify/", {"csrfmiddlewaretoken": token, "code": code()})
            if status != 302 or "/account/2fa/" in headers.get("Location", ""):
                raise RuntimeError(f"second factor of {username} refused (HTTP {status})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """The portal under gunicorn (deploy/gunicorn.conf.py, production settings) on a free port."""

    def __init__(self, env: dict, workers: int = 2):
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"{HOST}:{self.port}", "WEB_CONCURRENCY": str(workers),
                    "GUNICORN_ACCESS_LOG": ""}  # fmt: skip
        self.process = None

    def __enter__(self) -> Gunicorn:
        gunicorn = os.path.join(os.path.dirname(PYTHON), "gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [gunicorn, "-c", "deploy/gunicorn.conf.py", "config.wsgi"], cwd=ROOT, env=self.env, start_new_session=True
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _body, _headers = Browser(self.port).get("/healthz/")
                if status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
