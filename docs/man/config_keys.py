"""Turns `onquotad --help`'s key table (made from the daemon's config table) into man-page text or a config file.

usage: config_keys.py scdoc ONQUOTAD TEMPLATE OUTPUT   fills @CONFIG_KEYS@ and @CONFIG_ENV@ of TEMPLATE
       config_keys.py conf ONQUOTAD OUTPUT             writes onquotad.conf, every key commented out
"""
import re
import subprocess
import sys

ROW = re.compile(r"^  (--\S+)\s+(ONQUOTA_\w+)\s+(.*?)\s*$")
ALIAS = re.compile(r"\s*\(also (\w+), lower precedence\)$")


def keys(onquotad):
    """[(name, flag, env, default, help, alias)] in table order; --config is not a key."""
    out = subprocess.run([onquotad, "--help"], check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    rows = []
    for i, line in enumerate(lines):
        m = ROW.match(line)
        if not m or m.group(1).startswith("--config="):
            continue
        flag, env, default = m.groups()
        text = lines[i + 1].strip()
        alias = None
        a = ALIAS.search(text)
        if a:
            alias, text = a.group(1), text[: a.start()]
        name = re.sub(r"^--(\[no-\])?", "", flag).split("=")[0].replace("-", "_")
        rows.append((name, flag, env, default, text, alias))
    if not rows:
        sys.exit("config_keys.py: no configuration keys in onquotad --help")
    return rows


def esc(s):
    """scdoc escapes: backslash, asterisk and underscore."""
    return s.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def scdoc(rows):
    keys_txt, env_txt = [], []
    for name, flag, env, default, text, alias in rows:
        value = flag.split("=", 1)[1] if "=" in flag else "true|false"
        keys_txt.append(f"*{esc(name)}* = _{esc(value)}_\n"
                        f"\t{esc(text)}. Default: {esc(default)}. "
                        f"Flag *{esc(flag)}*, environment *{esc(env)}*"
                        + (f" (or *{esc(alias)}*, lower precedence)" if alias else "") + ".\n")
        env_txt.append(f"*{esc(env)}*" + (f", *{esc(alias)}*" if alias else "")
                       + f"\n\tThe *{esc(name)}* key.\n")
    return "\n".join(keys_txt), "\n".join(env_txt)


# Defaults that are not a literal value, as the config file explains them.
COMPUTED = {
    "(required)": "none, required",
    "(unset)": "unset",
    '""': "empty",
    "cores": "the number of CPU cores",
    "2 x cores": "twice the number of CPU cores",
    "db_workers": "the value of db_workers",
    "json (text on a tty)": "json, or text when standard error is a terminal",
}
EXAMPLES = {"database_url": "postgresql://onquota:PASSWORD@127.0.0.1:5432/onquota"}


def conf(rows):
    out = ["# /etc/onquota/onquotad.conf: onquotad's configuration (INI, key = value); see onquotad(8).",
           "#",
           "# Every key is shown commented out with its default. Precedence: command-line",
           "# flags, then ONQUOTA_<KEY> environment variables (e.g. from",
           "# /etc/onquota/onquotad.env under systemd), then this file, then the defaults.",
           "# This file is readable by the onquota group only (0640 root:onquota): it may",
           "# hold passwords. The daemon refuses a world-readable file with a password.",
           "",
           "[onquotad]",
           ""]
    for name, flag, env, default, text, alias in rows:
        out.append(f"# {text}.")
        out.append(f"# Environment: {env}" + (f" (or {alias})" if alias else "") + ".")
        if default in COMPUTED:
            out.append(f"# Default: {COMPUTED[default]}.")
            out.append(f"#{name} = {EXAMPLES.get(name, '')}".rstrip())
        else:
            out.append(f"#{name} = {default}")
        out.append("")
    return "\n".join(out)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "scdoc":
        k, e = scdoc(keys(sys.argv[2]))
        with open(sys.argv[3], encoding="utf-8") as f:
            text = f.read()
        if "@CONFIG_KEYS@" not in text or "@CONFIG_ENV@" not in text:
            sys.exit("config_keys.py: the template lacks @CONFIG_KEYS@ or @CONFIG_ENV@")
        with open(sys.argv[4], "w", encoding="utf-8") as f:
            f.write(text.replace("@CONFIG_KEYS@", k).replace("@CONFIG_ENV@", e))
    elif len(sys.argv) == 4 and sys.argv[1] == "conf":
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            f.write(conf(keys(sys.argv[2])))
    else:
        sys.exit(__doc__)


main()
