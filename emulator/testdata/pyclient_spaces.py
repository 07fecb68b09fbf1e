# Checks of the official Python client (huggingface_hub) against the emulator:
# each check is something the client sees against the Hub, and fails (raises,
# exit non-zero) when the emulator answers otherwise. Run by
# TestOfficialPythonClient (pyclient_test.go) with the demo seed, instant
# builds and a page size of 2 (so that listings span several pages).
import os
import subprocess
import sys
import warnings

from huggingface_hub import HfApi
from huggingface_hub._space_api import Volume
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

warnings.simplefilter("ignore")  # the client warns about cpu-basic sleep and deprecated storage

api = HfApi()
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        raise AssertionError(what)


def raises(status, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except HfHubHTTPError as err:
        check(err.response.status_code == status, f"{fn.__name__}: {err.response.status_code}, want {status}")
        return err
    raise AssertionError(f"{fn.__name__} did not fail with {status}")


# Who am I.
me = api.whoami()
check(me["name"] == "demo" and [o["name"] for o in me["orgs"]] == ["demo-org"], me)

# Runtime.
rt = api.get_space_runtime("demo/gradio-app")
check(rt.stage == "RUNNING" and rt.hardware == "cpu-basic" and rt.requested_hardware == "cpu-basic", rt)
check(rt.sleep_time == 172800 and rt.storage is None and rt.dev_mode is False, rt)
static = api.get_space_runtime("demo/static-site")
check(static.stage == "RUNNING" and static.hardware is None and static.sleep_time is None, static)
try:
    api.get_space_runtime("demo/does-not-exist")
    raise AssertionError("runtime of a missing Space")
except RepositoryNotFoundError:
    pass
try:
    api.get_space_runtime("other/private-space")  # private, another user's
    raise AssertionError("runtime of another user's private Space")
except RepositoryNotFoundError:
    pass

# Variables.
variables = api.get_space_variables("demo/gradio-app")
check(variables["MODEL_ID"].value == "demo/tiny-model" and variables["GREETING"].value == "Hello", variables)
after = api.add_space_variable("demo/gradio-app", "NEW_VAR", "v1", description="a new one")
check(after["NEW_VAR"].value == "v1" and after["NEW_VAR"].description == "a new one", after)
check(after["NEW_VAR"].updated_at is not None, after)
after = api.add_space_variable("demo/gradio-app", "NEW_VAR", "v2")
check(after["NEW_VAR"].value == "v2", after)
after = api.delete_space_variable("demo/gradio-app", "NEW_VAR")
check("NEW_VAR" not in after and "MODEL_ID" in after, after)
after = api.delete_space_variable("demo/gradio-app", "NEVER_THERE")  # not an error
check("MODEL_ID" in after, after)
raises(400, api.add_space_variable, "demo/gradio-app", "1BAD", "v")
raises(400, api.add_space_variable, "demo/gradio-app", "HUGE", "x" * (64 * 1024 + 1))

# Secrets: stored, never returned.
api.add_space_secret("demo/gradio-app", "NEW_SECRET", "s3cr3t", description="shh")
secrets = api.get_space_secrets("demo/gradio-app")
check(set(secrets) == {"HF_API_KEY", "NEW_SECRET"}, secrets)
check(secrets["NEW_SECRET"].description == "shh" and secrets["NEW_SECRET"].updated_at is not None, secrets)
check(all("s3cr3t" not in repr(vars(s)) for s in secrets.values()), secrets)
api.delete_space_secret("demo/gradio-app", "NEW_SECRET")
check(set(api.get_space_secrets("demo/gradio-app")) == {"HF_API_KEY"}, "secret after delete")

# Hardware and sleep time.
rt = api.request_space_hardware("demo/gpu-app", "a10g-small", sleep_time=3600)
check(rt.requested_hardware == "a10g-small" and rt.sleep_time == 3600, rt)
rt = api.get_space_runtime("demo/gpu-app")  # builds are instant here
check(rt.stage == "RUNNING" and rt.hardware == "a10g-small", rt)
rt = api.set_space_sleep_time("demo/gpu-app", -1)
check(rt.sleep_time is None, rt)
rt = api.set_space_sleep_time("demo/gpu-app", 600)
check(rt.sleep_time == 600, rt)
raises(400, api.set_space_sleep_time, "demo/gpu-app", 10**12)
raises(400, api.set_space_sleep_time, "demo/gpu-app", 0)
raises(400, api.request_space_hardware, "demo/gpu-app", "no-such-flavor")
# cpu-basic sleeps after 48 h, whatever it is told.
rt = api.set_space_sleep_time("demo/gradio-app", 3600)
check(rt.sleep_time == 172800, rt)

# Pause and restart.
rt = api.pause_space("demo/gradio-app")
check(rt.stage == "PAUSED" and rt.hardware is None, rt)
check(api.get_space_runtime("demo/gradio-app").stage == "PAUSED", "paused stays paused")
rt = api.restart_space("demo/gradio-app")
check(rt.stage == "RUNNING", rt)
rt = api.restart_space("demo/gradio-app", factory_reboot=True)
check(rt.stage == "RUNNING", rt)
raises(400, api.pause_space, "demo/static-site")

# Dev mode.
rt = api.enable_space_dev_mode("demo/gradio-app")
check(rt.dev_mode is True, rt)
rt = api.disable_space_dev_mode("demo/gradio-app")
check(rt.dev_mode is False, rt)

# Storage (deprecated upstream) and volumes.
rt = api.request_space_storage("demo/gradio-app", "small")
check(rt.storage == "small", rt)
rt = api.delete_space_storage("demo/gradio-app")
check(rt.storage is None, rt)
raises(400, api.delete_space_storage, "demo/gradio-app")
api.set_space_volumes("demo/gradio-app", [Volume(type="dataset", source="demo/data", mount_path="/data", read_only=True)])
rt = api.get_space_runtime("demo/gradio-app")
check(rt.volumes is not None and rt.volumes[0].source == "demo/data" and rt.volumes[0].mount_path == "/data", rt.raw)
api.delete_space_volumes("demo/gradio-app")
check(api.get_space_runtime("demo/gradio-app").volumes is None, "volumes after delete")

# Duplicate: a 409 carries the url, so exist_ok works.
url = api.duplicate_space("demo/gradio-app", to_id="demo/gradio-copy", hardware="t4-small", private=True)
check(url.repo_id == "demo/gradio-copy", url)
copy = api.get_space_runtime("demo/gradio-copy")
check(copy.requested_hardware == "t4-small", copy)
check("MODEL_ID" in api.get_space_variables("demo/gradio-copy"), "variables of the copy")
url = api.duplicate_space("demo/gradio-app", to_id="demo/gradio-copy", exist_ok=True)
check(url.repo_id == "demo/gradio-copy", url)
raises(409, api.duplicate_space, "demo/gradio-app", to_id="demo/gradio-copy")
url = api.duplicate_space("demo-org/team-space")  # into the caller's namespace
check(url.repo_id == "demo/team-space", url)

# Listings: pages of 2 here, followed through the Link header.
ids = [s.id for s in api.list_spaces(author="demo")]
want = ["demo/broken-build", "demo/gpu-app", "demo/gradio-app", "demo/gradio-copy", "demo/static-site", "demo/team-space"]
check(ids == want, ids)
ids = [s.id for s in api.list_spaces(author="demo", limit=3)]  # beyond one page
check(ids == want[:3], ids)
ids = [s.id for s in api.list_spaces(search="gradio")]
check(ids == ["demo/gradio-app", "demo/gradio-copy"], ids)
ids = [s.id for s in api.list_spaces(filter="static")]
check(ids == ["demo/static-site"], ids)
ids = [s.id for s in api.list_spaces(author="demo", sort="likes", limit=1)]
check(ids == ["demo/gradio-app"], ids)  # 3 likes, the others none
for sort in ("created_at", "last_modified", "trending_score"):
    check(len(list(api.list_spaces(author="demo", sort=sort))) == len(want), sort)
spaces = list(api.list_spaces(author="demo", expand=["runtime", "likes", "region"]))
check(len(spaces) == len(want) and all(s.runtime is not None and s.region == "us" for s in spaces), spaces)
check(spaces[0].sdk is None, spaces[0])  # only what was asked for
full = list(api.list_spaces(author="demo-org", full=True))
check(len(full) == 1 and full[0].author == "demo-org" and full[0].siblings is not None, full)
raises(400, lambda: list(api.list_spaces(expand=["downloads"])))
info = api.space_info("demo/gradio-app", expand=["likes", "sdk"])
check(info.likes == 3 and info.sdk == "gradio" and info.author is None, info)

# The hardware catalog: priced per minute, as on the Hub.
catalog = {h.name: h for h in api.list_spaces_hardware()}
check(catalog["cpu-basic"].pretty_name == "CPU Basic" and catalog["cpu-basic"].unit_cost_usd == 0, catalog["cpu-basic"])
t4 = catalog["t4-small"]
check(t4.unit_label == "minute" and abs(t4.unit_cost_usd * 60 - 0.40) < 0.005, vars(t4))
check(t4.accelerator is not None and t4.accelerator.model == "T4", vars(t4))

# The same catalog through the official CLI: its hourly column.
out = subprocess.run(
    [sys.executable, "-m", "huggingface_hub.cli.hf", "spaces", "hardware"],
    capture_output=True, text=True, env=os.environ, timeout=120,
)
check(out.returncode == 0, f"hf spaces hardware: {out.returncode}\n{out.stdout}\n{out.stderr}")
rows = [line for line in out.stdout.splitlines() if line.startswith("t4-small ")]
check(len(rows) == 1 and "$0.40" in rows[0] and "$0.0067" in rows[0], out.stdout)
rows = [line for line in out.stdout.splitlines() if line.startswith("l40sx8 ")]
check(len(rows) == 1 and "$23.50" in rows[0], out.stdout)

print(f"python client: spaces checks passed ({checks} checks)")
