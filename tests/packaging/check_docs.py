"""Test: the shell examples of docs/api.md and docs/resources/*.md run against a demo daemon and answer what the page says.

Each page's ```sh blocks run in order, in one bash, against a daemon on a scratch database seeded with the demo data
(the page's BASE, TOKEN, DEMO_DB and second-daemon port are pointed at the test's). A command whose comment names a
status (`# 204`, or `# 201 ...` on the line below) is run for its status; `# {"key": ...}` compares the JSON answer's
keys; a loop whose comment reads `# 200 ×10, then 429 ×2` compares the codes it printed.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

root = os.environ["ONQUOTA_SOURCE_ROOT"]
onquotad = os.environ["ONQUOTAD"]
PAGES = ["docs/api.md"] + sorted(
    os.path.join("docs/resources", f) for f in os.listdir(os.path.join(root, "docs/resources")) if f.endswith(".md"))
failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STATUS = re.compile(r"^\s*(?:still\s+)?([1-5]\d\d)\b")
SEQ = re.compile(r"^\s*([1-5]\d\d) ×(\d+)(?:, then ([1-5]\d\d)(?: ×(\d+))?)?\s*$")


def split_comment(line):
    """(code, comment) of a shell line: the comment is a '#' outside quotes after a space, or None."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip(), line[i + 1:].strip()
    return line.rstrip(), None


def balanced(text):
    quote = None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
    return quote is None


def logical_lines(block):
    """Joins backslash continuations and multi-line quotes: [(code, comment, [physical lines])]."""
    out, buf, phys, sep = [], "", [], "\n"
    for line in block.splitlines():
        phys.append(line)
        buf = buf + sep + line if buf else line
        code, _ = split_comment(buf) if balanced(buf) else (buf, None)
        if code.endswith("\\") or not balanced(buf):
            # A continuation joins with a space, an open quote with a newline.
            if code.endswith("\\"):
                buf, sep = code[:-1].rstrip(), " "
            else:
                sep = "\n"
            continue
        sep = "\n"
        code, comment = split_comment(buf)
        out.append((code, comment, phys))
        buf, phys = "", []
    if buf:
        out.append((buf, None, phys))
    return out


def instrument(page, blocks):
    """The page's blocks as one bash script, with probes; returns (script, {probe id: (kind, expectation, text)})."""
    probes = {}
    lines = []
    for b, block in enumerate(blocks):
        lines.append(f'echo "@@BLOCK {b}@@"')
        items = logical_lines(block)
        for i, (code, comment, phys) in enumerate(items):
            nxt = items[i + 1] if i + 1 < len(items) else None
            # A comment alone on the next line describes this command.
            if comment is None and nxt and nxt[0].strip() == "" and nxt[1] and STATUS.match(nxt[1]):
                comment = nxt[1]
            k = len(probes)
            stripped = code.strip()
            m_seq = SEQ.match(comment or "")
            if m_seq and stripped.startswith("done"):
                tail = stripped[len("done"):].lstrip("; ").strip()
                probes[k] = ("seq", m_seq.groups(), " ".join(p.strip() for p in phys))
                lines.append(f'done >"$DOCS_TMP/seq.{k}"; echo "@@PROBE {k} $(cat "$DOCS_TMP/seq.{k}")@@"')
                if tail and tail != "echo":
                    lines.append(tail)
                continue
            if stripped.startswith("curl ") and "|" not in stripped and "<" not in stripped.replace("<<", ""):
                if m_seq:
                    probes[k] = ("seq", m_seq.groups(), stripped)
                    lines.append(f'__o=$({stripped}); echo "@@PROBE {k} $__o@@"')
                    continue
                m = STATUS.match(comment or "")
                if m:
                    probes[k] = ("status", m.group(1), stripped)
                    lines.append(f'__s=$({stripped} -o /dev/null -w "%{{http_code}}"); echo "@@PROBE {k} $__s@@"')
                    continue
                if comment and comment.startswith("{"):
                    try:
                        want = json.loads(comment)
                    except ValueError:
                        want = None
                    if isinstance(want, dict):
                        probes[k] = ("json", sorted(want), stripped)
                        lines.append(f'__o=$({stripped}); echo "@@PROBE {k} $__o@@"')
                        continue
            if "<" in stripped and re.search(r"<[a-z_]+>", stripped):
                lines.append(f"# skipped, a placeholder: {stripped}")
                continue
            lines.append(code)
    return "\n".join(lines) + "\n", probes


class Demo:
    def __init__(self):
        self.name = f"oq_docs_{os.getpid()}"
        self.admin_url = os.environ["DATABASE_URL"]
        self.db_url = self.admin_url.rsplit("/", 1)[0] + "/" + self.name
        self.proc = None

    def psql(self, sql):
        subprocess.run(["psql", "-X", "-q", self.admin_url, "-c", sql], check=True, capture_output=True)

    def start(self, tmp):
        self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{self.name}"')
        env = {k: v for k, v in os.environ.items() if not k.startswith("ONQUOTA_")}
        env["ONQUOTA_CONFIG"] = "/dev/null"
        base = [onquotad, "--database-url", self.db_url, "--redis-url", os.environ["REDIS_URL"]]
        subprocess.run(base + ["migrate"], check=True, capture_output=True, env=env)
        self.token_file = os.path.join(tmp, "demo-token")
        subprocess.run(base + ["seed", "--demo", "--token-file", self.token_file], check=True, capture_output=True,
                       env=env)
        self.port = free_port()
        self.log = open(os.path.join(tmp, "daemon.log"), "w")
        self.proc = subprocess.Popen(base + ["--listen", f"127.0.0.1:{self.port}", "--log-format", "text"],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/ready", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the demo daemon did not become ready")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)
        if self.proc:
            self.log.close()
        try:
            self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        except subprocess.CalledProcessError:
            pass


def main():
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        print("SKIP: DATABASE_URL and REDIS_URL are needed (run through scripts/test)")
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="oq-docs-")
    demo = Demo()
    try:
        demo.start(tmp)
        total = 0
        for page in PAGES:
            with open(os.path.join(root, page), encoding="utf-8") as f:
                text = f.read()
            blocks = re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M)
            if not blocks:
                continue
            script, probes = instrument(page, blocks)
            port2 = free_port()
            subst = [
                ("http://127.0.0.1:8000", f"http://127.0.0.1:{demo.port}"),
                ("$(cat .run/demo-token)", f"$(cat {demo.token_file})"),
                ('"${DATABASE_URL%/*}/onquota_demo"', f'"{demo.db_url}"'),
                ("127.0.0.1:8001", f"127.0.0.1:{port2}"),
                ("build/daemon/onquotad", f"{onquotad} --redis-url {os.environ['REDIS_URL']}"),
            ]
            for a, b in subst:
                script = script.replace(a, b)
            with open(os.path.join(tmp, os.path.basename(page) + ".sh"), "w", encoding="utf-8") as f:
                f.write(script)
            env = dict(os.environ, DOCS_TMP=tmp, ONQUOTA_CONFIG="/dev/null")
            # Run from the project root, as a reader would; in a session of its own, so that a daemon
            # an example starts in the background is stopped with it.
            with open(os.path.join(tmp, "out"), "w+") as out_f, open(os.path.join(tmp, "err"), "w+") as err_f:
                proc = subprocess.Popen(["bash", "-c", script], stdout=out_f, stderr=err_f, env=env, cwd=root,
                                        start_new_session=True)
                try:
                    proc.wait(timeout=300)
                except subprocess.TimeoutExpired:
                    check(False, f"{page}: the examples finish within 300 s")
                finally:
                    try:
                        os.killpg(proc.pid, 15)
                    except ProcessLookupError:
                        pass
                    proc.wait()
                out_f.seek(0)
                err_f.seek(0)
                out, err = out_f.read(), err_f.read()
            got = dict(re.findall(r"@@PROBE (\d+) (.*?)@@", out, re.S))
            check(out.count("@@BLOCK ") == len(blocks), f"{page}: all {len(blocks)} examples ran")
            for k, (kind, want, cmd) in sorted(probes.items()):
                total += 1
                value = got.get(str(k))
                short = re.sub(r"\s+", " ", cmd)[:110]
                if value is None:
                    check(False, f"{page}: `{short}` ran ({err.strip()[-300:]})")
                elif kind == "status":
                    check(value.strip() == want, f"{page}: `{short}` answers {want} (got {value.strip()})")
                elif kind == "json":
                    try:
                        keys = sorted(json.loads(value))
                    except ValueError:
                        keys = None
                    check(keys == want, f"{page}: `{short}` has the keys the page shows {want} (got {keys})")
                elif kind == "seq":
                    a, na, b, nb = want
                    expect = [a] * int(na) + ([b] * int(nb or 1) if b else [])
                    check(value.split() == expect, f"{page}: the loop prints {' '.join(expect)} (got {value.strip()})")
        check(total >= 20, f"{total} documented answers checked")
    finally:
        demo.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failures else 0)


main()
