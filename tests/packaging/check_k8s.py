"""Test: every packaging/k8s YAML parses, and the Deployment has the probes, drain and env of issue 10."""
import os
import subprocess
import sys

import yaml

root = os.environ["ONQUOTA_SOURCE_ROOT"]
onquotad = os.environ["ONQUOTAD"]
k8s = os.path.join(root, "packaging", "k8s")
failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


docs = {}
for name in sorted(os.listdir(k8s)):
    if not name.endswith((".yaml", ".yml")):
        continue
    with open(os.path.join(k8s, name), encoding="utf-8") as f:
        try:
            loaded = [d for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as e:
            check(False, f"{name} parses: {e}")
            continue
    check(len(loaded) > 0, f"{name} parses")
    for d in loaded:
        check(isinstance(d, dict) and "apiVersion" in d and "kind" in d
              and "name" in d.get("metadata", {}), f"{name}: apiVersion, kind, metadata.name")
        docs.setdefault(d["kind"], []).append(d)

for kind in ("Deployment", "Service", "ConfigMap", "Secret", "Job"):
    check(kind in docs, f"a {kind} is present")
if failures:
    sys.exit(1)

dep = docs["Deployment"][0]
pod = dep["spec"]["template"]["spec"]
ctr = pod["containers"][0]
live, ready = ctr.get("livenessProbe", {}), ctr.get("readinessProbe", {})
check(live.get("httpGet", {}).get("path") == "/health/live", "liveness probes /health/live")
check(live.get("initialDelaySeconds") == 30, "liveness initial delay 30 s")
check(live.get("periodSeconds") == 10, "liveness period 10 s")
check(ready.get("httpGet", {}).get("path") == "/health/ready", "readiness probes /health/ready")
check(ready.get("initialDelaySeconds") == 20, "readiness initial delay 20 s")
check(ready.get("periodSeconds") == 5, "readiness period 5 s")

pre = ctr.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
sleep_s = int(pre[-1]) if len(pre) >= 2 and pre[0].endswith("sleep") else 0
check(sleep_s > max(live.get("periodSeconds", 0), ready.get("periodSeconds", 0)),
      f"preStop sleeps {sleep_s} s, longer than the probe periods")
grace = pod.get("terminationGracePeriodSeconds", 30)

res = ctr.get("resources", {})
check(all(k in res.get("requests", {}) for k in ("cpu", "memory")), "cpu and memory requests")
check(all(k in res.get("limits", {}) for k in ("cpu", "memory")), "cpu and memory limits")

port = ctr["ports"][0]
check(live["httpGet"]["port"] in (port["name"], port["containerPort"]), "probes use the container port")

cm = next(c for c in docs["ConfigMap"] if c["metadata"]["name"] in
          [e.get("configMapRef", {}).get("name") for e in ctr.get("envFrom", [])])
env = dict(cm["data"])
check(env.get("ONQUOTA_READY_REQUIRES_CACHE") == "false", "ONQUOTA_READY_REQUIRES_CACHE=false")
shutdown = int(env.get("ONQUOTA_SHUTDOWN_TIMEOUT_S", "20"))
check(grace > sleep_s + shutdown,
      f"terminationGracePeriodSeconds {grace} > preStop {sleep_s} + shutdown_timeout_s {shutdown}")
listen_port = int(env.get("ONQUOTA_LISTEN", "127.0.0.1:8000").rsplit(":", 1)[1])
check(listen_port == port["containerPort"], "ONQUOTA_LISTEN's port is the container port")

secret_names = [e.get("secretRef", {}).get("name") for e in ctr.get("envFrom", [])]
secret = next(s for s in docs["Secret"] if s["metadata"]["name"] in secret_names)
check({"DATABASE_URL", "REDIS_URL"} <= set(secret.get("stringData", {})),
      "the Secret gives DATABASE_URL and REDIS_URL")

svc = docs["Service"][0]
check(svc["spec"]["selector"].items() <= dep["spec"]["template"]["metadata"]["labels"].items(),
      "the Service selects the Deployment's pods")
job = docs["Job"][0]["spec"]["template"]["spec"]["containers"][0]
check(job["command"][-1] == "migrate", "the Job runs onquotad migrate")

# The daemon itself accepts the ConfigMap and Secret as its environment.
child_env = {k: v for k, v in os.environ.items() if not k.startswith("ONQUOTA_")
             and k not in ("DATABASE_URL", "DATABASE_READ_URL", "REDIS_URL")}
child_env.update(env)
child_env.update(secret["stringData"])
p = subprocess.run([onquotad, "--print-config"], env=child_env, capture_output=True, text=True)
check(p.returncode == 0, f"onquotad --print-config accepts the ConfigMap and Secret ({p.stderr.strip()})")
printed = dict(line.split(" = ", 1) for line in p.stdout.splitlines() if " = " in line)
for key, value in env.items():
    name = key[len("ONQUOTA_"):].lower()
    check(printed.get(name) == value, f"{key}={value} reaches the daemon as {name}")

sys.exit(1 if failures else 0)
