# Checks of the official Python client (huggingface_hub) against the emulator's
# repositories: create, upload_folder (with a file that goes through LFS),
# list, download, pull requests, settings, delete. Each assert is something
# the client sees against the Hub. Run by TestOfficialPythonClientRepos
# (pyclient_test.go).
import os
import tempfile

import filelock

import huggingface_hub.utils._fixes as _fixes
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, hf_hub_download
from huggingface_hub.errors import RepositoryNotFoundError

# Debian's filelock is older than the client's and has no `mode`: drop it.
_fixes.FileLock = lambda path, mode=None, **kw: filelock.FileLock(path, **kw)

api = HfApi()
anon = HfApi(token=False)
repo_id = "demo/py-repo"
cache = tempfile.mkdtemp()

url = api.create_repo(repo_id, repo_type="space", space_sdk="gradio", private=True)
assert url.repo_id == repo_id, url
assert api.space_info(repo_id).private is True
try:
    anon.space_info(repo_id)
    raise AssertionError("an anonymous caller sees a private Space")
except RepositoryNotFoundError:
    pass
assert api.create_repo(repo_id, repo_type="space", space_sdk="gradio", exist_ok=True).repo_id == repo_id

# A Space folder: README with front matter, app, requirements, a 12 MB binary.
folder = tempfile.mkdtemp()
files = {
    "README.md": b"---\ntitle: Py repo\nsdk: gradio\napp_file: app.py\n---\n\nA test Space.\n",
    "app.py": b"import gradio as gr\n\ngr.Interface(fn=lambda x: x, inputs='text', outputs='text').launch()\n",
    "requirements.txt": b"numpy\n",
    "assets/model.bin": os.urandom(12 * 1024 * 1024),
    "assets/notes.txt": b"",
}
for path, content in files.items():
    os.makedirs(os.path.dirname(os.path.join(folder, path)), exist_ok=True)
    with open(os.path.join(folder, path), "wb") as f:
        f.write(content)

info = api.upload_folder(folder_path=folder, repo_id=repo_id, repo_type="space", commit_message="Deploy")
assert len(info.oid) == 40, info
listed = api.list_repo_files(repo_id, repo_type="space")
assert sorted(listed) == sorted(list(files) + [".gitattributes"]), listed
for path, content in files.items():
    local = hf_hub_download(repo_id, path, repo_type="space", cache_dir=cache)
    with open(local, "rb") as f:
        assert f.read() == content, path
entries = {e.path: e for e in api.list_repo_tree(repo_id, repo_type="space", recursive=True)}
assert entries["assets/model.bin"].lfs is not None and entries["assets/model.bin"].lfs.size == 12 * 1024 * 1024
assert entries["app.py"].lfs is None
space = api.space_info(repo_id, files_metadata=True)
assert space.sha == info.oid, (space.sha, info.oid)
assert space.card_data["title"] == "Py repo", space.card_data
assert api.get_space_runtime(repo_id).stage in ("BUILDING", "APP_STARTING", "RUNNING"), api.get_space_runtime(repo_id)

# Unchanged: no new commit.
again = api.upload_folder(folder_path=folder, repo_id=repo_id, repo_type="space", commit_message="Deploy again")
assert len(api.list_repo_commits(repo_id, repo_type="space")) == 3, api.list_repo_commits(repo_id, repo_type="space")

# A pull request leaves main alone.
pr = api.create_commit(
    repo_id, repo_type="space", commit_message="Proposal",
    operations=[CommitOperationAdd("extra.txt", b"hello\n"), CommitOperationDelete("requirements.txt")],
    create_pr=True,
)
assert pr.pr_num == 1 and pr.pr_revision == "refs/pr/1", pr
assert "extra.txt" not in api.list_repo_files(repo_id, repo_type="space")
with open(hf_hub_download(repo_id, "extra.txt", repo_type="space", revision="refs/pr/1", cache_dir=cache), "rb") as f:
    assert f.read() == b"hello\n"
assert "requirements.txt" not in api.list_repo_files(repo_id, repo_type="space", revision="refs/pr/1")
refs = api.list_repo_refs(repo_id, repo_type="space", include_pull_requests=True)
assert [b.name for b in refs.branches] == ["main"] and refs.pull_requests[0].ref == "refs/pr/1", refs

details = api.get_discussion_details(repo_id, 1, repo_type="space")
assert details.is_pull_request and details.status == "open" and details.target_branch == "refs/heads/main", details
api.merge_pull_request(repo_id, 1, repo_type="space")
assert api.get_discussion_details(repo_id, 1, repo_type="space").status == "merged"
merged = api.list_repo_files(repo_id, repo_type="space")
assert "extra.txt" in merged and "requirements.txt" not in merged, merged

# A stale parent commit is refused.
try:
    api.create_commit(repo_id, repo_type="space", commit_message="stale", parent_commit="0" * 40,
                      operations=[CommitOperationAdd("x.txt", b"x")])
    raise AssertionError("a stale parent commit was accepted")
except Exception as e:
    assert "412" in str(e), e

# Settings.
api.update_repo_settings(repo_id, repo_type="space", private=False)
assert api.space_info(repo_id).private is False
assert anon.space_info(repo_id).id == repo_id
api.update_repo_settings(repo_id, repo_type="space", visibility="private", gated="auto")
assert api.space_info(repo_id).private is True

# Move: the old id still leads to the Space (a relative redirect).
api.move_repo(repo_id, "demo/py-repo-moved", repo_type="space")
assert api.space_info(repo_id).id == "demo/py-repo-moved"
with open(hf_hub_download(repo_id, "app.py", repo_type="space", cache_dir=tempfile.mkdtemp()), "rb") as f:
    assert f.read() == files["app.py"]
repo_id = "demo/py-repo-moved"

api.delete_repo(repo_id, repo_type="space")
assert not api.repo_exists(repo_id, repo_type="space")
api.delete_repo(repo_id, repo_type="space", missing_ok=True)

print("python client: repository checks passed")
