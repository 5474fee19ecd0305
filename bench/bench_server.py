"""Load and fault benchmark of the public survey against the real server.

Starts a private PostgreSQL instance (initdb into a temporary directory, its own port), a
throwaway database on it and `make serve` (gunicorn with deploy/gunicorn.conf.py and the
background-task worker), one campaign of ``--orgs`` organizations, then drives N concurrent
respondents, each through the whole public form of a random organization with real HTTP, as a
browser does it:

- with the page's script (the default): start page, «Начать», the first question screen (it
  carries the questions: the following screens are shown in the browser), the kept answers in
  one request, review, submit — 6 requests;
- ``--no-script``: start page, «Начать», every question screen GET + POST, review, submit.

``--pace S``: each respondent takes S seconds for a questionnaire, its requests spread evenly
over them (a person reading and choosing); 0, the default, sends each request as soon as the
previous one is answered (the server's capacity). Prints: questionnaires acknowledged vs
stored, duplicates, p50/p99 per screen, questionnaires per second, the CPU of server, database
and client. ``--restart`` restarts the private PostgreSQL in the middle of the run; a
respondent meeting the outage page waits and sends the screen again, as the page offers.

Usage:
    .venv/bin/python bench/bench_server.py [--respondents 50] [--rounds 3] [--pace 2.5]
        [--orgs 50] [--no-script] [--restart]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import runpy
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402

from tests.servers import PrivatePostgres, free_port, manage, server_env  # noqa: E402

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
RADIO = re.compile(r'<input type="radio" name="answer" id="[^"]+" value="([^"]+)"')
SCREENS = re.compile(r'<script id="survey-screens" type="application/json">(.*?)</script>', re.S)
MAKE_SURVEYS = """
import sys
import django; django.setup()
from nok.surveys.tests.factories import make_assessment
first = make_assessment()
others = [make_assessment(campaign=first.campaign) for _ in range(int(sys.argv[1]) - 1)]
print(" ".join(a.survey_code for a in [first, *others]))
"""
# A screen sent during the outage is sent again after this pause, at most this many times.
RETRY_PAUSE = 1.0
RETRIES = 60


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    acknowledged: int = 0
    done_at: list[float] = field(default_factory=list)  # when each questionnaire was acknowledged
    already: int = 0
    outage_pages: int = 0
    errors: list[str] = field(default_factory=list)

    def time(self, screen: str, seconds: float) -> None:
        with self.lock:
            self.timings[screen].append(seconds)


@dataclass
class Reply:
    status_code: int
    headers: dict[str, str]
    text: str


class Browser:
    """A respondent's HTTP/1.1 connection with its cookies, on the standard library's
    ``http.client``: a fraction of a full client library's CPU per request, which matters
    when the client runs on the same two cores as the server it measures. Redirects are not
    followed (the caller reads ``location``)."""

    def __init__(self, base: str, timeout: float = 60) -> None:
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname or "127.0.0.1", parts.port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, url: str, data: dict[str, str] | None = None) -> Reply:
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a kept connection the server closed meanwhile: open a new one
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, url, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key.strip()] = val.strip()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, text)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class Respondent:
    def __init__(self, base: str, code: str, tally: Tally, rng: random.Random, *, script: bool,
                 pace: float) -> None:
        self.client = Browser(base)
        self.code = code
        self.tally = tally
        self.rng = rng
        self.script = script
        # A person's time from one request to the next: request k of a questionnaire is sent
        # k pauses after its first (or as soon as the previous one is answered, if later).
        self.pause = pace / (6 if script else 38)
        self.begun = 0.0
        self.sent = 0

    def _send(self, screen: str, method: str, url: str, data: dict[str, str] | None = None) -> Reply:
        wait = self.begun + self.sent * self.pause - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        self.sent += 1
        for _ in range(RETRIES):
            start = time.perf_counter()
            response = self.client.request(method, url, data=data)
            self.tally.time(screen, time.perf_counter() - start)
            if response.status_code != 503:
                return response
            with self.tally.lock:
                self.tally.outage_pages += 1
            time.sleep(RETRY_PAUSE)
        raise RuntimeError(f"{screen}: still 503 after {RETRIES} tries")

    def _questions_in_the_browser(self, page: Reply) -> str:
        """What survey.js does: the screens shown from the questions the first one carries,
        the answers chosen there sent in one request; returns the review's address."""
        found = SCREENS.search(page.text)
        if found is None:
            raise RuntimeError("the first question screen carries no questions")
        screens = json.loads(found.group(1))
        answers: dict[str, str] = {}
        for question in screens["questions"]:
            when = question["when"]
            if all(answers.get(key) == value for key, value in when.items()):
                options = [key for key, _ in question["options"]]
                if options:
                    answers[question["key"]] = self.rng.choice(options)
        data = dict(HIDDEN.findall(page.text))
        saved = self._send("answers (POST)", "POST", screens["save"], {
            "csrfmiddlewaretoken": data["csrfmiddlewaretoken"], "answers": json.dumps(answers)})
        if saved.status_code != 200:
            raise RuntimeError(f"answers refused: {saved.status_code} {saved.text[:200]}")
        return str(screens["review"])

    def _questions_on_the_server(self, location: str) -> str:
        while "/s/" in location:
            page = self._send("question (GET)", "GET", location)
            data = dict(HIDDEN.findall(page.text))
            options = RADIO.findall(page.text)
            data["answer"] = self.rng.choice(options) if options else ""
            data["action"] = "next"
            answered = self._send("answer (POST)", "POST", location, data)
            if answered.status_code != 302:
                raise RuntimeError(f"answer refused: {answered.status_code}")
            location = answered.headers["location"]
        return location

    def fill(self) -> None:
        code = self.code
        self.begun, self.sent = time.perf_counter(), 0
        page = self._send("start page (GET)", "GET", f"/q/{code}/")
        moved = self._send("begin (POST)", "POST", f"/q/{code}/", dict(HIDDEN.findall(page.text)))
        location = moved.headers["location"]
        if self.script:
            location = self._questions_in_the_browser(
                self._send("first question (GET)", "GET", location))
        else:
            location = self._questions_on_the_server(location)
        review = self._send("review (GET)", "GET", location)
        sent = self._send("submit (POST)", "POST", f"/q/{code}/submit/", dict(HIDDEN.findall(review.text)))
        thanks = sent.headers.get("location", "")
        with self.tally.lock:
            if thanks.endswith("?already=1"):
                self.tally.already += 1
            elif "/thanks/" in thanks:
                self.tally.acknowledged += 1
                self.tally.done_at.append(time.perf_counter())
            else:
                self.tally.errors.append(f"submit answered {sent.status_code} {thanks}")
        self.client.close()


def _proc_stat(pid: str) -> tuple[int, int, int, float] | None:
    """(parent pid, session id, own + reaped children's CPU ticks) of a live process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()  # after the command name, which may hold spaces
    ppid, session = int(fields[1]), int(fields[3])
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return ppid, session, utime + stime + cutime + cstime, 0.0


def cpu_seconds(session: int, postmaster: int) -> tuple[float, float]:
    """CPU seconds used so far by the server's session (make, gunicorn and its workers, the
    task worker) and by the private PostgreSQL (postmaster and backends); a process that
    ended counts in its parent's reaped-children time."""
    ticks = os.sysconf("SC_CLK_TCK")
    server = database = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        stat = _proc_stat(pid)
        if stat is None:
            continue
        ppid, sid, used, _ = stat
        if sid == session:
            server += used
        elif int(pid) == postmaster or ppid == postmaster:
            database += used
    return server / ticks, database / ticks


def client_seconds() -> float:
    times = os.times()
    return times.user + times.system


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def gunicorn_settings(env: dict[str, str]) -> str:
    """The process and thread counts and the connection reuse that deploy/gunicorn.conf.py
    gives the server under ``env`` (read by running the file as gunicorn does)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
        age = os.environ.get("NOK_DB_CONN_MAX_AGE", "0")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return (f"gunicorn {conf['workers']} processes × {conf['threads']} threads, database "
            f"connections kept {age} s")


def start_serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"], cwd=ROOT,
        env={**env, "NOK_ACCESS_LOG": "", "NOK_GUNICORN_LOG_LEVEL": "warning"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    raise RuntimeError("make serve did not become healthy within 120 s")


def run(respondents: int, rounds: int, restart: bool, seed: int, server: dict[str, str], *,
        orgs: int, script: bool, pace: float) -> int:
    started = 0.0
    pg = PrivatePostgres().init()
    pg.start()
    serve = None
    try:
        url = pg.createdb("nok_bench_server")
        env = server_env(url, **server)
        server_settings = gunicorn_settings(env)
        manage(env, "migrate", "--noinput")
        codes = subprocess.run([sys.executable, "-c", MAKE_SURVEYS, str(orgs)], cwd=ROOT, check=True,
                               text=True, capture_output=True,
                               env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"}).stdout.split()
        port = free_port()
        serve = start_serve(env, port)
        base = f"http://127.0.0.1:{port}"
        tally = Tally()
        total = respondents * rounds
        # Warm-up, not counted: every gunicorn process loads its URLs and templates.
        warm = [threading.Thread(target=lambda: [httpx.get(f"{base}/q/{codes[0]}/", timeout=60) for _ in range(5)])
                for _ in range(10)]
        for thread in warm:
            thread.start()
        for thread in warm:
            thread.join()

        def worker(n: int) -> None:
            rng = random.Random(seed * 1000 + n)
            # Paced respondents begin a questionnaire every ``pace`` seconds, not all at once.
            first = time.perf_counter() + rng.uniform(0, pace)
            for i in range(rounds):
                time.sleep(max(0.0, first + i * pace - time.perf_counter()))
                try:
                    Respondent(base, rng.choice(codes), tally, rng, script=script, pace=pace).fill()
                except Exception as exc:  # noqa: BLE001 — every failure is counted and printed
                    with tally.lock:
                        tally.errors.append(f"{type(exc).__name__}: {exc}")

        postmaster = int((pg.data / "postmaster.pid").read_text().split()[0])
        cpu_before = (*cpu_seconds(serve.pid, postmaster), client_seconds())
        restart_at = restart_took = None
        started = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(respondents)]
        for thread in threads:
            thread.start()
        if restart:
            while tally.acknowledged < total // 3 and any(t.is_alive() for t in threads):
                time.sleep(0.05)
            restart_at = time.perf_counter() - started
            pg.restart()
            restart_took = time.perf_counter() - started - restart_at
        for thread in threads:
            thread.join(timeout=900)
        wall = time.perf_counter() - started
        # After a restart PostgreSQL's processes are new ones: its CPU is not counted then.
        cpu_after = (*cpu_seconds(serve.pid, postmaster), client_seconds())
        if restart:
            cpu_after = (cpu_after[0], float("nan"), cpu_after[2])
        cpu = [after - before for before, after in zip(cpu_before, cpu_after, strict=True)]

        with psycopg.connect(url) as conn:
            stored, distinct = conn.execute(
                "SELECT count(*), count(DISTINCT client_id) FROM surveys_response").fetchone()
    finally:
        if serve is not None:
            os.killpg(serve.pid, signal.SIGTERM)
            serve.wait(timeout=60)
        pg.destroy()

    mode = "with a PostgreSQL restart" if restart else "steady"
    how = "with the page's script" if script else "without the page's script"
    paced = f"each taking {pace:g} s" if pace else "never pausing"
    print(f"public form {how}, {respondents} concurrent respondents ({paced}) × {rounds} = {total} "
          f"questionnaires of {orgs} organizations, {mode} (gunicorn via make serve, private "
          f"PostgreSQL)")
    if restart_at is not None:
        print(f"  PostgreSQL restarted at {restart_at:.1f} s (down for {restart_took:.2f} s); "
              f"outage pages met and resent: {tally.outage_pages}")
    print(f"  acknowledged {tally.acknowledged} (+{tally.already} «уже получена»), stored {stored}, "
          f"duplicates {stored - distinct}, lost {tally.acknowledged + tally.already - stored}, "
          f"failed respondents {len(tally.errors)}")
    for error in tally.errors[:5]:
        print(f"    {error}")
    requests = sum(len(values) for values in tally.timings.values())
    print(f"  {wall:.1f} s wall, {stored / wall:.2f} questionnaires/s, {requests / wall:.0f} "
          f"requests/s ({requests / max(stored, 1):.0f} requests per questionnaire)")
    if pace and rounds > 2:
        # Paced: once every respondent has begun (after one pace) until the last round begins,
        # all of them are at work; the rate there is the steady one (the ramp and tail left out).
        window = (started + pace, started + (rounds - 1) * pace)
        steady = sum(window[0] <= t < window[1] for t in tally.done_at)
        print(f"  steady part ({window[1] - window[0]:.1f} s with all {respondents} respondents at "
              f"work): {steady / (window[1] - window[0]):.2f} questionnaires/s acknowledged "
              f"(offered: {respondents / pace:.2f}/s)")
    cores = os.cpu_count() or 1
    print(f"  CPU over the run, of {cores} cores × {wall:.1f} s = {cores * wall:.0f} core-seconds: "
          f"server (gunicorn, task worker) {cpu[0]:.1f} s, PostgreSQL {cpu[1]:.1f} s, this client "
          f"{cpu[2]:.1f} s; per request: server {cpu[0] / max(requests, 1) * 1000:.2f} ms, "
          f"PostgreSQL {cpu[1] / max(requests, 1) * 1000:.2f} ms, client "
          f"{cpu[2] / max(requests, 1) * 1000:.2f} ms (other work on the machine: the rest)")
    print(f"  server settings: {server_settings}")
    print(f"  {'screen':<20} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for screen, values in tally.timings.items():
        print(f"  {screen:<20} {len(values):>8} {statistics.median(values) * 1000:>8.1f} "
              f"{percentile(values, 0.99) * 1000:>8.1f}")
    return 0 if not tally.errors and stored == tally.acknowledged + tally.already == total else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=20, help="concurrent respondents (20)")
    parser.add_argument("--rounds", type=int, default=3, help="questionnaires each fills in turn (3)")
    parser.add_argument("--restart", action="store_true", help="restart PostgreSQL in the middle")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orgs", type=int, default=50, help="organizations, each respondent "
                                                            "picks one at random (50)")
    parser.add_argument("--no-script", action="store_true", help="a browser without JavaScript: "
                                                                 "every question a GET and a POST")
    parser.add_argument("--pace", type=float, default=0.0, help="seconds a respondent takes for a "
                                                                "questionnaire (0: never pausing)")
    parser.add_argument("--workers", help="gunicorn processes (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--threads", help="threads per process (default: the conf's)")
    parser.add_argument("--conn-max-age", help="seconds a database connection is kept (default: "
                                               "the conf's)")
    args = parser.parse_args()
    server = {name: value for name, value in (
        ("NOK_WEB_WORKERS", args.workers), ("NOK_WEB_THREADS", args.threads),
        ("NOK_DB_CONN_MAX_AGE", args.conn_max_age)) if value}
    return run(args.respondents, args.rounds, args.restart, args.seed, server, orgs=args.orgs,
               script=not args.no_script, pace=args.pace)


if __name__ == "__main__":
    raise SystemExit(main())
