"""Test: docs/openapi.yaml against the daemon: `routes` mode compares it with `onquotad routes`; `responses` mode
validates real answers of a test daemon (scratch database, demo data) against its schemas."""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import jsonschema
import yaml

root = os.environ["ONQUOTA_SOURCE_ROOT"]
onquotad = os.environ["ONQUOTAD"]
with open(os.path.join(root, "docs", "openapi.yaml"), encoding="utf-8") as f:
    doc = yaml.safe_load(f)
failures = []
METHODS = ("get", "put", "post", "delete", "patch")


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)
    return cond


def resolve(obj):
    while isinstance(obj, dict) and "$ref" in obj:
        node = doc
        for part in obj["$ref"].lstrip("#/").split("/"):
            node = node[part]
        obj = node
    return obj


def documented_ops():
    return {(m.upper(), p): op for p, item in doc["paths"].items() for m, op in item.items() if m in METHODS}


# ---- routes: the document and the router agree, both ways -------------------------------------
def routes_mode():
    check(str(doc.get("openapi", "")).startswith("3.1"), "the document is OpenAPI 3.1")
    out = subprocess.run([onquotad, "routes"], capture_output=True, text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        method, pattern, roles = line.split(" ")
        table[(method, pattern)] = [] if roles == "public" else roles.split(",")
    check(len(table) > 40, f"onquotad routes prints the route table ({len(table)} routes)")
    ops = documented_ops()
    for key in sorted(table):
        check(key in ops, f"{key[0]} {key[1]} is documented")
    for key in sorted(ops):
        check(key in table, f"documented {key[0]} {key[1]} is a route of the daemon")
    for key, op in sorted(ops.items()):
        if key not in table:
            continue
        check(sorted(op.get("x-roles", [])) == sorted(table[key]), f"{key[0]} {key[1]}: x-roles match the router")
        public = op.get("security") == []
        check(public == (table[key] == []), f"{key[0]} {key[1]}: security matches (public={table[key] == []})")
        names = re.findall(r"\{([a-z_]+)\}", key[1])
        params = [resolve(p) for p in op.get("parameters", []) + doc["paths"][key[1]].get("parameters", [])]
        path_params = sorted(p["name"] for p in params if p.get("in") == "path")
        check(path_params == sorted(names), f"{key[0]} {key[1]}: path parameters {names} documented")
        check(any(c.startswith("2") for c in op.get("responses", {})), f"{key[0]} {key[1]}: a success answer")
        if table[key]:
            check("401" in op["responses"], f"{key[0]} {key[1]}: documents 401")
    # Every $ref resolves.
    refs = re.findall(r"'\$ref': '([^']+)'", str(doc))
    for r in sorted(set(refs)):
        try:
            resolve({"$ref": r})
            ok = True
        except KeyError:
            ok = False
        check(ok, f"$ref {r} resolves")
    jsonschema.Draft202012Validator.check_schema({"$defs": doc["components"]["schemas"]})
    print("ok: every component schema is a valid JSON Schema 2020-12")


# ---- responses: real answers validate ----------------------------------------------------------
class Daemon:
    def __init__(self):
        url = os.environ["DATABASE_URL"]
        self.redis = os.environ["REDIS_URL"]
        self.name = f"oq_openapi_{os.getpid()}"
        parts = urllib.parse.urlsplit(url)
        self.admin_url = url
        self.db_url = urllib.parse.urlunsplit(parts._replace(path="/" + self.name))
        self.proc = None
        self.log_path = os.path.join(os.environ.get("MESON_BUILD_ROOT", "/tmp"), f"openapi-daemon-{os.getpid()}.log")

    def psql(self, sql):
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.admin_url, "-c", sql],
                       check=True, capture_output=True, text=True)

    def start(self, token_file):
        self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{self.name}"')
        env = {k: v for k, v in os.environ.items() if not k.startswith("ONQUOTA_")}
        env["ONQUOTA_CONFIG"] = "/dev/null"
        base = [onquotad, "--database-url", self.db_url, "--redis-url", self.redis]
        subprocess.run(base + ["migrate"], check=True, capture_output=True, env=env)
        subprocess.run(base + ["seed", "--demo", "--token-file", token_file], check=True, capture_output=True, env=env)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(base + ["--listen", f"127.0.0.1:{self.port}", "--log-format", "text"],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/ready", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise SystemExit(f"the daemon did not become ready; log: {self.log_path}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()
        try:
            self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        except subprocess.CalledProcessError:
            pass


def responses_mode():
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        print("SKIP: DATABASE_URL and REDIS_URL are needed (run through scripts/test)")
        sys.exit(77)
    ops = documented_ops()
    seen = set()
    resolver = jsonschema.RefResolver(base_uri="", referrer=doc)

    def validate(schema, value, what):
        try:
            jsonschema.Draft202012Validator(schema, resolver=resolver).validate(value)
            return check(True, what)
        except jsonschema.ValidationError as e:
            return check(False, f"{what}: {e.message[:300]} at {list(e.absolute_path)}")

    def call(method, pattern, path, body=None, token=None, expect=None, headers=None):
        """Sends one request; checks its status is documented and its body matches the documented schema."""
        op = ops[(method, pattern)]
        seen.add((method, pattern))
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{d.port}{path}", data=data, method=method)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
            rb = op.get("requestBody")
            if rb and expect and expect < 400:
                validate(resolve(rb)["content"]["application/json"]["schema"], body,
                         f"{method} {path}: the example request body matches the document")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, ctype, raw = r.status, r.headers.get_content_type(), r.read()
        except urllib.error.HTTPError as e:
            status, ctype, raw = e.code, e.headers.get_content_type(), e.read()
        label = f"{method} {path} -> {status}"
        if expect is not None:
            check(status == expect, f"{method} {path}: answers {expect} (got {status}: {raw[:200]!r})")
        resp = op["responses"].get(str(status))
        if not check(resp is not None, f"{label} is a documented status of {method} {pattern}"):
            return status, None
        resp = resolve(resp)
        content = resp.get("content")
        if not content:
            check(raw == b"", f"{label}: no body, as documented")
            return status, None
        check(ctype in content, f"{label}: Content-Type {ctype} documented")
        if ctype == "application/json":
            value = json.loads(raw)
            validate(content[ctype]["schema"], value, f"{label}: body matches the schema")
            return status, value
        return status, raw.decode()

    token_file = f"/tmp/oq-openapi-token-{os.getpid()}"
    d = Daemon()
    try:
        d.start(token_file)
        with open(token_file, encoding="utf-8") as f:
            T = f.read().strip()
        # Every GET route without a path parameter, with its documented query parameters where the demo answers.
        lists = {}
        for (method, pattern) in sorted(ops):
            ok200 = ops[(method, pattern)]["responses"].get("200", {})
            if "text/event-stream" in resolve(ok200).get("content", {}):
                # A stream never ends: check its status, type and first line, then hang up.
                seen.add((method, pattern))
                req = urllib.request.Request(f"http://127.0.0.1:{d.port}{pattern}", method=method)
                req.add_header("Authorization", "Bearer " + T)
                with urllib.request.urlopen(req, timeout=10) as r:
                    first = r.readline()
                    check(r.status == 200 and r.headers.get_content_type() == "text/event-stream"
                          and first.startswith(b"retry:"),
                          f"{method} {pattern}: an open text/event-stream ({r.status}, {first!r})")
                continue
            if method == "GET" and "{" not in pattern:
                _, body = call("GET", pattern, pattern, None, T, 200)
                if isinstance(body, dict) and body.get("items"):
                    lists[pattern] = body["items"]
        call("GET", "/api/v1/dashboard/kpis", "/api/v1/dashboard/kpis?as_of=2026-03-31", None, T, 200,
             headers={"Accept-Language": "en"})
        call("GET", "/api/v1/dashboard/top-clients", "/api/v1/dashboard/top-clients?limit=5&period=all_time", None, T, 200)
        call("GET", "/api/v1/dashboard/recent-activity", "/api/v1/dashboard/recent-activity?limit=100", None, T, 200)
        call("GET", "/api/v1/dashboard/quota-performance", "/api/v1/dashboard/quota-performance?year=2026&month=11", None, T, 200)
        call("GET", "/api/v1/dashboard/overview", "/api/v1/dashboard/overview?year=2026&month=11", None, T, 200)
        call("GET", "/api/v1/sales/quotes", "/api/v1/sales/quotes?page_size=100&sort=-total_amount", None, T, 200)
        call("GET", "/api/v1/expenses", "/api/v1/expenses?page_size=100&status=rejected", None, T, 200)
        call("GET", "/api/v1/transport/vehicles", "/api/v1/transport/vehicles?page_size=100", None, T, 200)
        call("GET", "/api/v1/clients", "/api/v1/clients?page_size=100&page=2", None, T, 200)
        # Every GET route with a path parameter, on a real object and on an unknown one.
        unknown = "00000000-0000-4000-8000-000000000000"
        for (method, pattern) in sorted(ops):
            if method != "GET" or "{" not in pattern:
                continue
            base = pattern.split("/{")[0]
            if base not in lists:
                check(False, f"GET {pattern}: the demo data has an object to read")
                continue
            oid = lists[base][0]["id"]
            call("GET", pattern, pattern.replace("{id}", oid), None, T, 200)
            call("GET", pattern, pattern.replace("{id}", unknown), None, T, 404)
        # Errors.
        call("GET", "/api/v1/auth/me", "/api/v1/auth/me", None, "oq_not-a-token", 401)
        call("GET", "/api/v1/dashboard/top-clients", "/api/v1/dashboard/top-clients?limit=500", None, T, 422)
        call("GET", "/api/v1/clients", "/api/v1/clients?bogus=1", None, T, 422)
        # The main writes of each resource.
        _, login = call("POST", "/api/v1/auth/login", "/api/v1/auth/login",
                        {"email": "admin@acme.example", "password": "demo"}, None, 200)
        call("POST", "/api/v1/auth/login", "/api/v1/auth/login", {"email": "admin@acme.example", "password": "x"}, None, 401)
        _, tok = call("POST", "/api/v1/auth/tokens", "/api/v1/auth/tokens", {"name": "openapi", "expires_in_days": 5}, T, 201)
        call("DELETE", "/api/v1/auth/tokens/{id}", f"/api/v1/auth/tokens/{tok['id']}", None, T, 204)
        _, cl = call("POST", "/api/v1/clients", "/api/v1/clients",
                     {"name": "OpenAPI S.A.", "client_type": "company", "email": "o@openapi.example"}, T, 201)
        call("POST", "/api/v1/clients", "/api/v1/clients", {"name": "", "bogus": 1}, T, 422)
        call("PUT", "/api/v1/clients/{id}", f"/api/v1/clients/{cl['id']}", {"city": "Bilbao", "industry": "retail"}, T, 200)
        call("PUT", "/api/v1/clients/{id}/status", f"/api/v1/clients/{cl['id']}/status", {"status": "active"}, T, 200)
        _, cat = call("POST", "/api/v1/expenses/categories", "/api/v1/expenses/categories",
                      {"name": "OPENAPI", "color": "#112233"}, T, 201)
        call("PUT", "/api/v1/expenses/categories/{id}", f"/api/v1/expenses/categories/{cat['id']}", {"description": "d"}, T, 200)
        _, ex = call("POST", "/api/v1/expenses", "/api/v1/expenses",
                     {"category_id": cat["id"], "amount": 12.5, "description": "taxi", "date": "2026-11-02"}, T, 201)
        call("PUT", "/api/v1/expenses/{id}", f"/api/v1/expenses/{ex['id']}", {"notes": "n"}, T, 200)
        call("PUT", "/api/v1/expenses/{id}/status", f"/api/v1/expenses/{ex['id']}/status", {"status": "approved"}, T, 200)
        call("DELETE", "/api/v1/expenses/{id}", f"/api/v1/expenses/{ex['id']}", None, T, 409)
        call("DELETE", "/api/v1/expenses/categories/{id}", f"/api/v1/expenses/categories/{cat['id']}", None, T)
        reps = [u for u in lists["/api/v1/users"] if u["role"] == "sales_rep"]
        _, qu = call("POST", "/api/v1/quotas", "/api/v1/quotas",
                     {"user_id": reps[0]["id"], "year": 2031, "month": 1, "target_amount": 1000}, T, 201)
        call("PUT", "/api/v1/quotas/{id}", f"/api/v1/quotas/{qu['id']}", {"target_amount": 2000}, T, 200)
        call("DELETE", "/api/v1/quotas/{id}", f"/api/v1/quotas/{qu['id']}", None, T, 204)
        _, q = call("POST", "/api/v1/sales/quotes", "/api/v1/sales/quotes",
                    {"client_id": cl["id"], "valid_until": "2026-12-31",
                     "items": [{"product_name": "A", "quantity": 2, "unit_price": 10.5}]}, T, 201)
        call("PUT", "/api/v1/sales/quotes/{id}", f"/api/v1/sales/quotes/{q['id']}", {"notes": "n"}, T, 200)
        _, it = call("POST", "/api/v1/sales/quotes/{id}/items", f"/api/v1/sales/quotes/{q['id']}/items",
                     {"product_name": "B", "quantity": 1, "unit_price": 5, "discount_percent": 10}, T, 201)
        call("GET", "/api/v1/sales/quotes/{id}/items", f"/api/v1/sales/quotes/{q['id']}/items", None, T, 200)
        call("PUT", "/api/v1/sales/quotes/{id}/items/{item_id}", f"/api/v1/sales/quotes/{q['id']}/items/{it['id']}",
             {"quantity": 3}, T, 200)
        call("DELETE", "/api/v1/sales/quotes/{id}/items/{item_id}", f"/api/v1/sales/quotes/{q['id']}/items/{it['id']}",
             None, T, 204)
        call("PATCH", "/api/v1/sales/quotes/{id}/status", f"/api/v1/sales/quotes/{q['id']}/status", {"status": "sent"}, T, 200)
        call("PATCH", "/api/v1/sales/quotes/{id}/status", f"/api/v1/sales/quotes/{q['id']}/status", {"status": "draft"}, T, 409)
        _, q2 = call("POST", "/api/v1/sales/quotes", "/api/v1/sales/quotes",
                     {"client_id": cl["id"], "valid_until": "2026-12-31",
                      "items": [{"product_name": "A", "quantity": 1, "unit_price": 1}]}, T, 201)
        call("DELETE", "/api/v1/sales/quotes/{id}", f"/api/v1/sales/quotes/{q2['id']}", None, T, 204)
        _, v = call("POST", "/api/v1/transport/vehicles", "/api/v1/transport/vehicles",
                    {"plate_number": "OAPI 1", "vehicle_type": "van", "assigned_driver_id": reps[0]["id"]}, T, 201)
        call("PUT", "/api/v1/transport/vehicles/{id}", f"/api/v1/transport/vehicles/{v['id']}", {"mileage_km": 10}, T, 200)
        call("DELETE", "/api/v1/transport/vehicles/{id}", f"/api/v1/transport/vehicles/{v['id']}", None, T, 204)
        _, u = call("POST", "/api/v1/users", "/api/v1/users",
                    {"email": "openapi@acme.example", "full_name": "Open Api", "role": "analyst", "password": "0123456789ab"}, T, 201)
        call("PUT", "/api/v1/users/{id}", f"/api/v1/users/{u['id']}", {"full_name": "Open Api 2"}, T, 200)
        call("POST", "/api/v1/auth/password", "/api/v1/auth/password",
             {"current_password": "wrong", "new_password": "0123456789ab"}, T, 422)
        call("DELETE", "/api/v1/clients/{id}", f"/api/v1/clients/{cl['id']}", None, T, 204)
        call("POST", "/api/v1/admin/cache/invalidate", "/api/v1/admin/cache/invalidate", None, T, 204)
        call("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", None, login["access_token"], 204)
    finally:
        d.stop()
        if os.path.exists(token_file):
            os.unlink(token_file)
    gets = {k for k in ops if k[0] == "GET"}
    check(gets <= seen, f"every documented GET route was exercised (missing: {sorted(gets - seen)})")
    writes = {k for k in ops if k[0] != "GET"}
    print(f"info: {len(writes & seen)} of {len(writes)} write operations exercised")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "routes":
        routes_mode()
    elif mode == "responses":
        responses_mode()
    else:
        sys.exit("usage: check_openapi.py routes|responses")
    sys.exit(1 if failures else 0)
