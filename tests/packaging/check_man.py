"""Test: onquotad(8), onquota(1) and onquotad.conf render cleanly and cover every command, option, key and binding."""
import os
import re
import subprocess
import sys
import tempfile

man_dir = os.environ.get("ONQUOTA_MAN_DIR", "")
onquotad = os.environ["ONQUOTAD"]
onquota = os.environ["ONQUOTA"]
failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def run(*argv, env=None):
    return subprocess.run(list(argv), capture_output=True, text=True, env=env)


def render(page):
    """The page as plain text, one paragraph a line, with man's warnings on stderr."""
    env = dict(os.environ, MANWIDTH="2000", MAN_KEEP_FORMATTING="0", LC_ALL="C.UTF-8")
    p = run("man", "--warnings", "-l", page, env=env)
    check(p.returncode == 0, f"man -l {os.path.basename(page)} exits 0")
    check(p.stderr.strip() == "", f"man --warnings -l {os.path.basename(page)}: no warning"
          + (f" ({p.stderr.strip()[:300]})" if p.stderr.strip() else ""))
    text = re.sub(r".\x08", "", p.stdout).replace("\u2010", "-").replace("\u2212", "-")
    return text


if not man_dir or not os.path.exists(os.path.join(man_dir, "onquotad.8")):
    print("SKIP: the man pages were not built (meson -Dman=disabled, or no scdoc)")
    sys.exit(77)

# ---- onquotad(8) ----------------------------------------------------------
daemon = render(os.path.join(man_dir, "onquotad.8"))
help_text = run(onquotad, "--help").stdout
commands = re.findall(r"^  ([a-z]+)\b", help_text.split("options:")[0], re.M)
check(len(commands) >= 6, f"onquotad --help lists commands ({commands})")
for c in commands:
    check(re.search(rf"^\s+{c}\b", daemon, re.M) is not None, f"onquotad(8) documents the command {c}")
for opt in re.findall(r"^  (--[a-z-]+)", help_text.split("options:")[1].split("configuration keys")[0], re.M):
    check(opt in daemon, f"onquotad(8) documents {opt}")
printed = run(onquotad, "--print-config", env=dict(os.environ, DATABASE_URL="postgresql://u@h/d")).stdout
keys = [line.split(" =")[0] for line in printed.splitlines() if " =" in line]
check(len(keys) >= 30, f"onquotad --print-config lists the keys ({len(keys)})")
config_section = daemon.split("\nCONFIGURATION")[1].split("\nENVIRONMENT")[0]
env_section = daemon.split("\nENVIRONMENT")[1].split("\nSIGNALS")[0]
for k in keys:
    check(re.search(rf"^\s+{k} = ", config_section, re.M) is not None, f"onquotad(8) CONFIGURATION has {k}")
    check(f"ONQUOTA_{k.upper()}" in env_section, f"onquotad(8) ENVIRONMENT has ONQUOTA_{k.upper()}")
documented = re.findall(r"^\s{7}([a-z_]+) = ", config_section, re.M)
check(sorted(documented) == sorted(keys), "onquotad(8) documents no key the daemon lacks")
for alias in ("DATABASE_URL", "DATABASE_READ_URL", "REDIS_URL", "ONQUOTA_CONFIG", "NOTIFY_SOCKET", "WATCHDOG_USEC"):
    check(alias in env_section, f"onquotad(8) ENVIRONMENT has {alias}")
for sig in ("SIGTERM", "SIGINT", "SIGHUP"):
    check(re.search(rf"^\s+(\S+, )*{sig}\b", daemon.split("\nSIGNALS")[1], re.M) is not None, f"onquotad(8) SIGNALS has {sig}")
exits = daemon.split("\nEXIT STATUS")[1].split("\n\S")[0]
for code in ("0", "1", "2"):
    check(re.search(rf"^\s+{code}\s*$", exits, re.M) is not None, f"onquotad(8) EXIT STATUS has {code}")
for f in ("/etc/onquota/onquotad.conf", "/etc/onquota/onquotad.env", "onquotad.service", "/run/onquota/"):
    check(f in daemon.split("\nFILES")[1], f"onquotad(8) FILES has {f}")

# ---- onquota(1) ------------------------------------------------------------
client = render(os.path.join(man_dir, "onquota.1"))
chelp = run(onquota, "--help").stdout
options_part, keys_part = chelp.split("\nkeys:")
for opt in sorted(set(re.findall(r"^  (--[a-z-]+)", options_part, re.M))):
    check(re.search(rf"^\s+{re.escape(opt)}\b", client, re.M) is not None, f"onquota(1) documents {opt}")
for cmd in ("login", "logout", "health"):
    check(re.search(rf"^\s+{cmd}\b", client.split("\nCOMMANDS")[1], re.M) is not None,
          f"onquota(1) documents the command {cmd}")
bindings = client.split("\nKEY BINDINGS")[1].split("\nENVIRONMENT")[0]
binding_names = set()
for line in bindings.splitlines():
    if re.match(r"^\s{7}\S", line) and not line.strip()[0].isupper() or re.match(r"^\s{7}[A-Z][a-zA-Z-]*(,|$)", line):
        binding_names.update(k.strip() for k in line.split(","))
help_keys = 0
for line in keys_part.splitlines():
    m = re.match(r"^  (\S.*?)\s{2,}\S", line)
    if not m:
        continue
    for k in m.group(1).split(", "):
        help_keys += 1
        if k == "mouse":  # the --help row of the Mouse section
            check("\n   Mouse" in bindings, "onquota(1) KEY BINDINGS has a Mouse section")
            continue
        check(k in binding_names or re.search(rf"(^|[\s,]){re.escape(k)}(,|\s*$)", bindings, re.M) is not None,
              f"onquota(1) KEY BINDINGS has '{k}'")
check(help_keys >= 30, f"onquota --help lists the key bindings ({help_keys})")
# "config file: PATH (INI: key = value, keys as the options with '_'; url, token_file, ...)"
cfg_keys = re.search(r"config file: .*?\(INI[^;]*;(.*?)\)", chelp, re.S)
check(cfg_keys is not None, "onquota --help lists the config file keys")
if cfg_keys:
    names = re.findall(r"[a-z_]+", cfg_keys.group(1))
    check(len(names) >= 10, f"onquota --help lists the config file keys ({names})")
    conf_section = client.split("\nCONFIGURATION FILE")[1].split("\nKEY BINDINGS")[0]
    for k in names:
        check(re.search(rf"\b{k}\b", conf_section) is not None, f"onquota(1) CONFIGURATION FILE has {k}")
cenv = client.split("\nENVIRONMENT")[1].split("\nEXIT STATUS")[0]
for var in sorted(set(re.findall(r"\b(ONQUOTA_[A-Z_]+|NO_COLOR|XDG_CONFIG_HOME)\b", chelp))):
    check(var in cenv, f"onquota(1) ENVIRONMENT has {var}")
cexit = client.split("\nEXIT STATUS")[1].split("\nFILES")[0]
for code in ("0", "1", "2", "3"):
    check(re.search(rf"^\s+{code}\s*$", cexit, re.M) is not None, f"onquota(1) EXIT STATUS has {code}")
cfiles = client.split("\nFILES")[1]
for f in ("onquota/config", "onquota/credentials", "onquota/themes/", "/share/onquota/themes/"):
    check(f in cfiles, f"onquota(1) FILES has {f}")

# ---- onquotad.conf ---------------------------------------------------------
conf_path = os.path.join(man_dir, "onquotad.conf")
conf = open(conf_path, encoding="utf-8").read()
for k in keys:
    check(re.search(rf"^#{k} =", conf, re.M) is not None, f"onquotad.conf documents {k}, commented out")
check(not re.search(r"^[a-z]", conf, re.M), "onquotad.conf sets nothing (every key commented out)")
# Uncommenting every key that shows a literal default must give the defaults.
with tempfile.TemporaryDirectory() as tmp:
    live = os.path.join(tmp, "onquotad.conf")
    with open(live, "w", encoding="utf-8") as f:
        f.write(re.sub(r"^#([a-z_]+ = \S.*)$", r"\1", conf, flags=re.M).replace(
            "\ndatabase_url = ", "\n#database_url = "))
    os.chmod(live, 0o600)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("ONQUOTA_")}
    base_env["DATABASE_URL"] = "postgresql://u@h/d"
    a = run(onquotad, "--config", live, "--print-config", env=base_env)
    empty = os.path.join(tmp, "empty.conf")
    open(empty, "w", encoding="utf-8").close()
    b = run(onquotad, "--config", empty, "--print-config", env=base_env)
    check(a.returncode == 0, f"onquotad accepts onquotad.conf uncommented ({a.stderr.strip()})")
    check(a.stdout == b.stdout, "the uncommented values are the defaults")

sys.exit(1 if failures else 0)
